"""Reports: the load report ``c360 build`` prints (``load``) and the HTML page of
``c360 report`` (``queries`` read the analytics file, ``figures`` draw the charts,
``page`` writes the HTML, ``run`` ties them together).

The load report's names stay importable from ``c360.report``, where they lived when
it was a single module.
"""

from c360.report.load import MAX_REJECTED, print_report, report_lines

__all__ = ["MAX_REJECTED", "print_report", "report_lines"]
