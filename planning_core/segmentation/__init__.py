"""Item segmentation: ABC, XYZ, Syntetos-Boylan demand patterns, lifecycle, proposals."""

from planning_core.segmentation.classify import CLASS_COLUMNS, band_class, classify_items
from planning_core.segmentation.measures import adi_cv2, cumulative_share, demand_cv
from planning_core.segmentation.proposals import ReclassificationProposal, propose_reclassification
from planning_core.segmentation.thresholds import SegmentationThresholds

__all__ = [
    "CLASS_COLUMNS",
    "ReclassificationProposal",
    "SegmentationThresholds",
    "adi_cv2",
    "band_class",
    "classify_items",
    "cumulative_share",
    "demand_cv",
    "propose_reclassification",
]
