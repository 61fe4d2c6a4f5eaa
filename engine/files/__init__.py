"""Files: scenes, exports, atomic writes and the per-user folders."""
