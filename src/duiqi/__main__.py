from duiqi.cli.main import entry

entry()
