from regiongraph.cli import main

main()
