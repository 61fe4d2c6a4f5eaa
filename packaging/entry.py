"""The frozen app's entry point (PyInstaller runs this file as ``__main__``).

``gui/app.py`` cannot be the script itself: it is a module of the ``gui`` package and uses
relative imports. numba (through ``engine``) is imported before anything imports Qt: on
Windows the two clash over a DLL otherwise.
"""

import sys

from descentlab import engine  # noqa: F401, I001  (first: numba before Qt; sets the compile-cache folder)

if __name__ == "__main__":
    if sys.argv[1:2] == ["--precompile"]:  # a compiling child of the app (engine.compile.precompile)
        from descentlab.engine.compile.precompile import main as precompile

        sys.exit(precompile(sys.argv[2:]))
    if sys.argv[1:2] == ["--ship-kernels"]:  # the build's: the kernels the app ships (packaging/build.py)
        from descentlab.engine.compile.fill_shipped import main as fill_shipped

        sys.exit(fill_shipped(sys.argv[2:]))
    from descentlab.gui.app import main

    sys.exit(main())
