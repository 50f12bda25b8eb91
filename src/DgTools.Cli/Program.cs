return DgTools.Cli.CliApp.Run(args, DgTools.Cli.CliEnvironment.FromProcess());
