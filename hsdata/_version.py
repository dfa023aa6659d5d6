"""Version numbers: of this Python package and of the standard it implements."""

__version__ = "1.2.0"

#: The version of the hsdata standard (major.minor) this package writes and
#: validates by default. Data declares the version it follows.
STANDARD_VERSION = "1.2"
