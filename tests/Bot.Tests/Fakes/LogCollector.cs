using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PerpGuard.Bot.Tests.Fakes;

/// <summary>An <see cref="ILoggerProvider"/> that keeps every formatted log line, to assert what was logged.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message, string? Exception)> Entries { get; } = new();

    public IReadOnlyList<string> Lines(LogLevel atLeast = LogLevel.Information) =>
        [.. Entries.Where(e => e.Level >= atLeast).Select(e => e.Message)];

    /// <summary>Every line and exception text as one string, for leak checks (a token must be in none of them).</summary>
    public string AllText() => string.Join('\n', Entries.Select(e => e.Message + '\n' + e.Exception));

    /// <summary>Makes this the host's only log provider, at every level.</summary>
    public void Capture(Microsoft.Extensions.Hosting.IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(this);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, category, formatter(state, exception), exception?.ToString()));
    }
}
