from shenka_cli.cli import main

main()
