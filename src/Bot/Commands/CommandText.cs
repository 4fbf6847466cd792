using PerpGuard.Core.Text;
namespace PerpGuard.Bot.Commands;

/// <summary>A message split into a command name and argument tokens.</summary>
/// <param name="Name">Lower-case name as typed, without the slash and any <c>@botname</c> suffix.</param>
/// <param name="Tokens">Arguments split on whitespace, with <c>@</c> as a token of its own (<c>0.5@60000</c> → <c>0.5 @ 60000</c>).</param>
/// <param name="Rest">The argument text after the name, trimmed (for free text such as labels).</param>
public sealed record CommandText(string Name, IReadOnlyList<string> Tokens, string Rest)
{
    /// <summary>Longest message accepted; longer ones are answered with an error, never cut silently.</summary>
    public const int MaxLength = 512;

    /// <summary>Splits <paramref name="text"/>, or explains why it is not a command.</summary>
    public static bool TryParse(string? text, out CommandText command, out string error)
    {
        command = new CommandText("", [], "");
        error = "";
        var s = Clean(text ?? "").Trim();
        if (s.Length == 0)
        {
            error = "Empty message. Send /help to see the commands.";
            return false;
        }
        if (s.Length > MaxLength)
        {
            error = $"That message is {s.Length} characters long; commands are at most {MaxLength}.";
            return false;
        }
        if (s[0] != '/')
        {
            error = "Commands start with '/'. Send /help to see them, or /add to track a position.";
            return false;
        }
        var end = 1;
        while (end < s.Length && !char.IsWhiteSpace(s[end])) end++;
        var name = s[1..end];
        var at = name.IndexOf('@', StringComparison.Ordinal); // Telegram groups: /add@PerpGuardBot
        if (at >= 0) name = name[..at];
        name = name.ToLowerInvariant();
        if (name.Length == 0 || name.Length > 32 || !name.All(c => char.IsAsciiLetterLower(c) || c == '_'))
        {
            error = $"'/{Shorten(name)}' is not a command. Send /help to see the commands.";
            return false;
        }
        var rest = s[end..].Trim();
        command = new CommandText(name, Tokenize(rest), rest);
        return true;
    }

    /// <summary>
    /// Parses a duration as typed (<c>30m</c>, <c>2h</c>, <c>1d</c>) between one minute and <paramref name="max"/>;
    /// otherwise <paramref name="problem"/> says what is wrong, suggesting <paramref name="examples"/>.
    /// </summary>
    public static bool TryDuration(string token, TimeSpan max, string examples, out TimeSpan span, out string problem)
    {
        ArgumentNullException.ThrowIfNull(token);
        span = default;
        problem = "";
        if (!NumberText.TryParseHours(token, out var hours) || !double.IsFinite(hours) || hours <= 0)
        {
            problem = $"'{Shorten(token)}' is not a duration; write {examples}";
            return false;
        }
        if (hours > max.TotalHours)
        {
            problem = $"must be at most {UserTime.Duration(max)}";
            return false;
        }
        span = TimeSpan.FromHours(hours);
        if (span >= TimeSpan.FromMinutes(1)) return true;
        problem = "must be at least 1m";
        return false;
    }

    /// <summary>Shortens user text quoted in a reply so a huge token cannot flood it.</summary>
    public static string Shorten(string text, int max = 24) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static List<string> Tokenize(string rest)
    {
        var tokens = new List<string>();
        foreach (var word in rest.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var w = word;
            int at;
            while ((at = w.IndexOf('@', StringComparison.Ordinal)) >= 0)
            {
                if (at > 0) tokens.Add(w[..at]);
                tokens.Add("@");
                w = w[(at + 1)..];
            }
            if (w.Length > 0) tokens.Add(w);
        }
        return tokens;
    }

    // Control characters (other than whitespace) have no place in a command; they become spaces.
    private static string Clean(string s) =>
        s.Any(c => char.IsControl(c) && !char.IsWhiteSpace(c)) ? new string([.. s.Select(c => char.IsControl(c) ? ' ' : c)]) : s;
}
