"""Planning over whole matrices: segmentation, forecasts, buffers, scorecards."""

__all__: list[str] = []
