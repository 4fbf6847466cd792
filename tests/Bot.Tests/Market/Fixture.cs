namespace PerpGuard.Bot.Tests.Market;

/// <summary>
/// Fixtures this repository owns, written in each venue's documented response shapes (tests/Bot.Tests/Market/Fixtures,
/// copied to the test output).
/// </summary>
internal static class Fixture
{
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Market", "Fixtures", relativePath));
}

/// <summary>
/// The recordings in ../shared/fixtures/market (made by others, never copied into this repository). Tests over them
/// use <see cref="SharedFixtureFactAttribute"/> and are skipped, with the reason, on a clone without that folder.
/// </summary>
internal static class SharedFixtures
{
    /// <summary>../shared/fixtures/market beside the repository root, or null when absent.</summary>
    public static string? Root { get; } = Find();

    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(Root ?? throw new InvalidOperationException("../shared/fixtures/market is absent."), relativePath));

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "PerpGuard.slnx"))) continue;
            var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "market"));
            return Directory.Exists(shared) ? shared : null;
        }
        return null;
    }
}

/// <summary>A fact over ../shared/fixtures/market: skipped, saying why, when that folder is not beside the clone.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedFixtureFactAttribute : FactAttribute
{
    public SharedFixtureFactAttribute()
    {
        if (SharedFixtures.Root is null)
            Skip = "../shared/fixtures/market is not beside this clone; the recorded-fixture layer runs only where it is (the repository's own fixtures still run).";
    }
}
