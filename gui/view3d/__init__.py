"""The 3-D view's drawing (pyqtgraph.opengl) and its OpenGL check."""
