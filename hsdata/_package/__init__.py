"""Reading a data package: the one place that opens a package and its files.

``_input``
    files read strictly (duplicate keys, encodings, NaN, depth, size)
``_positions``
    JSON Pointers to lines and columns, found only for files with issues
``_archive``
    zipped packages unpacked safely into a temporary folder
"""
