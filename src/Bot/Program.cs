using PerpGuard.Bot.Cli;

return await CliApp.RunAsync(args, CliStreams.FromConsole(), configure: null, CancellationToken.None);
