using System.Text;
using PerpGuard.Bot.Chat;

namespace PerpGuard.Bot.Rendering;

/// <summary>Renders a <see cref="Reply"/> as plain text for the console: a marked headline, then aligned labelled lines.</summary>
public static class PlainTextReply
{
    /// <summary>The reply as text ending in a newline.</summary>
    public static string Render(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var sb = new StringBuilder();
        sb.Append(Marker(reply)).Append(reply.Headline).Append('\n');
        var width = Math.Clamp(reply.Sections.SelectMany(s => s.Lines).Max(l => (int?)l.Label?.Length) ?? 0, 12, 16);
        foreach (var section in reply.Sections)
        {
            if (section.Title is not null) sb.Append(section.Title).Append('\n');
            foreach (var line in section.Lines)
            {
                sb.Append("  ");
                if (line.Label is not null) sb.Append(line.Label.PadRight(width)).Append(' ');
                sb.Append(line.Text).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The mark in front of a headline (✔ ⚠ ✖), shared by the text renderers; none when the headline already leads with
    /// an alert's severity badge, which says it better.
    /// </summary>
    public static string Marker(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return AlertText.Badges.Any(b => reply.Headline.StartsWith(b, StringComparison.Ordinal)) ? "" : Marker(reply.Tone);
    }

    private static string Marker(ReplyTone tone) => tone switch
    {
        ReplyTone.Success => "✔ ",
        ReplyTone.Warning => "⚠ ",
        ReplyTone.Error => "✖ ",
        _ => "",
    };
}
