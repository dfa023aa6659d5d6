"""A record type added to the schemas alone reaches every part of hsdata (issue 12, part 5)."""

from __future__ import annotations

from scratch_version import NEW_RECORD_TYPE, ScratchVersion, scratch_version  # noqa: F401

import hsdata
from hsdata._paths import schema_root
from hsdata._schemas import load_schema_set


def test_the_scratch_version_is_used_and_holds_the_new_record_type(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    assert schema_root() == scratch_version.schema_root
    assert hsdata.available_versions()[-1] == scratch_version.version
    assert NEW_RECORD_TYPE in load_schema_set(scratch_version.version).record_types


def test_the_scratch_package_validates(scratch_version: ScratchVersion) -> None:  # noqa: F811
    report = hsdata.validate(scratch_version.package)
    assert report.exit_code == hsdata.ExitCode.VALID, [str(i) for i in report.issues]
