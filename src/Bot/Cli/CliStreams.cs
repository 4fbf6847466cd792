namespace PerpGuard.Bot.Cli;

/// <summary>The process's standard streams, replaceable so tests drive the real entry point in memory.</summary>
/// <param name="Input">Standard input (bytes: JSONL is read as UTF-8 without decoding to strings).</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error, for diagnostics and input errors.</param>
/// <param name="IsInteractive">Whether a person types on <paramref name="Input"/> (show prompts) rather than a pipe or file.</param>
public sealed record CliStreams(Stream Input, Stream Output, TextWriter Error, bool IsInteractive = false)
{
    /// <summary>The real console.</summary>
    public static CliStreams FromConsole() =>
        new(Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error, !Console.IsInputRedirected);
}
