"""The catalogue surfaces: functions, catalogue, the surface problem and its race kernel."""
