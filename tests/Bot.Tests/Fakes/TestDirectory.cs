using Microsoft.Data.Sqlite;

namespace PerpGuard.Bot.Tests.Fakes;

/// <summary>Per-test temporary directories under the system temp folder (perpguard-tests/&lt;guid&gt;).</summary>
internal static class TestDirectory
{
    /// <summary>A fresh path (not created).</summary>
    public static string NewPath() => Path.Combine(Path.GetTempPath(), "perpguard-tests", Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Releases pooled SQLite connections (they hold the files open) and deletes the directory; best effort, since a
    /// temp directory left behind is harmless.
    /// </summary>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
