using System.Reflection;

namespace PerpGuard.Bot.Commands;

/// <summary>What <c>/status</c> reports about the running process.</summary>
/// <param name="Version">Informational version of the build.</param>
/// <param name="StartedAt">When the host started.</param>
public sealed record BotInfo(string Version, DateTimeOffset StartedAt)
{
    /// <summary>The running assembly's version, started now.</summary>
    public static BotInfo Create(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var version = typeof(BotInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0 && version.Length > plus + 8) version = version[..(plus + 8)]; // short commit hash
        return new BotInfo(version, time.GetUtcNow());
    }
}
