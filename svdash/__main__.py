from svdash.cli import main

raise SystemExit(main())
