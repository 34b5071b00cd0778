from smartdesk.cli import main

raise SystemExit(main())
