DgTools.Cli.GcSettings.EnsureLargeGen0Budget(args);
return DgTools.Cli.CliApp.Run(args, DgTools.Cli.CliEnvironment.FromProcess());
