namespace PerpGuard.Bot.Cli;

/// <summary>The process's standard streams, replaceable so tests drive the real entry point in memory.</summary>
/// <param name="Input">Standard input (bytes: JSONL is read as UTF-8 without decoding to strings).</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error, for diagnostics and input errors.</param>
public sealed record CliStreams(Stream Input, Stream Output, TextWriter Error)
{
    /// <summary>The real console.</summary>
    public static CliStreams FromConsole() => new(Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error);
}
