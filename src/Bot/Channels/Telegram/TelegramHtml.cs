using System.Globalization;
using System.Text;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Rendering;

namespace PerpGuard.Bot.Channels.Telegram;

/// <summary>
/// Renders a <see cref="Reply"/> as Telegram HTML: every piece of text escaped (user labels included, so
/// <c>&lt;b&gt;</c> in a label shows as typed), the headline bold, ladders in <c>&lt;pre&gt;</c>, and buttons as an
/// inline keyboard. Output longer than Telegram's 4096 characters is split at line boundaries, never inside a tag,
/// into parts marked <c>[1/3]</c>; the buttons go with the last part.
/// </summary>
internal static class TelegramHtml
{
    /// <summary>Telegram's limit on a message's text after entity parsing (UTF-16 code units).</summary>
    public const int MaxLength = 4096;

    /// <summary>Callback data Telegram accepts: 1–64 bytes.</summary>
    public const int MaxCallbackBytes = 64;

    /// <summary>Prefix of a Refresh button's callback data: the command is re-run and the message edited in place.</summary>
    public const string RefreshPrefix = "r:";

    // Room for "[10/12] " in front of a part.
    private const int MarkerRoom = 12;

    /// <summary>One line of output: its HTML and the length the user sees.</summary>
    private readonly record struct Unit(string Html, int Visible);

    /// <summary>The reply as one or more message texts, each within <paramref name="limit"/> visible characters.</summary>
    public static IReadOnlyList<string> Render(Reply reply, int limit = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var units = new List<Unit>();
        Wrapped(units, PlainTextReply.Marker(reply) + reply.Headline, "<b>", "</b>", limit);
        foreach (var section in reply.Sections)
        {
            if (section.Title is not null) Wrapped(units, section.Title, "<b>", "</b>", limit);
            if (section.Monospace)
            {
                var width = section.Lines.Max(l => (int?)l.Label?.Length) ?? 0;
                foreach (var line in section.Lines)
                    Wrapped(units, line.Label is null ? line.Text : line.Label.PadRight(width) + " " + line.Text, "<pre>", "</pre>", limit);
            }
            else
            {
                foreach (var line in section.Lines)
                {
                    if (line.Label is null) Wrapped(units, line.Text, "", "", limit);
                    else Labelled(units, line.Label, line.Text, limit);
                }
            }
        }
        return Pack(MergePre(units), limit);
    }

    /// <summary>The inline keyboard of a reply's buttons (two per row when there are four, else up to three), or null.</summary>
    public static TelegramInlineKeyboard? Keyboard(IReadOnlyList<ReplyButton> buttons)
    {
        ArgumentNullException.ThrowIfNull(buttons);
        var usable = buttons
            .Select(b => new TelegramInlineButton(b.Label, (b.Refresh ? RefreshPrefix : "") + b.Command))
            // A command too long for callback data stays in the text (alerts spell their actions out); never a 400.
            .Where(b => Encoding.UTF8.GetByteCount(b.CallbackData!) <= MaxCallbackBytes)
            .ToList();
        if (usable.Count == 0) return null;
        var perRow = usable.Count == 4 ? 2 : 3;
        return new TelegramInlineKeyboard([.. usable.Chunk(perRow).Select(row => (IReadOnlyList<TelegramInlineButton>)row)]);
    }

    /// <summary>Escapes text for Telegram HTML: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> (and <c>"</c>, harmless everywhere).</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny("&<>\"") < 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => null,
            } ?? c.ToString());
        }
        return sb.ToString();
    }

    /// <summary>What the user sees of rendered HTML: tags dropped, entities decoded (the plain-text fallback).</summary>
    public static string ToPlain(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var sb = new StringBuilder(html.Length);
        for (var i = 0; i < html.Length; i++)
        {
            if (html[i] == '<')
            {
                var end = html.IndexOf('>', i);
                if (end > i) { i = end; continue; }
            }
            sb.Append(html[i]);
        }
        return sb.Replace("&lt;", "<").Replace("&gt;", ">").Replace("&quot;", "\"").Replace("&amp;", "&").ToString();
    }

    // "<b>Label</b>  text", the label bold; a line too long for one message is cut into plain pieces.
    private static void Labelled(List<Unit> units, string label, string text, int limit)
    {
        var visible = label.Length + 2 + text.Length;
        if (visible <= limit - MarkerRoom)
        {
            units.Add(new Unit($"<b>{Escape(label)}</b>  {Escape(text)}", visible));
            return;
        }
        Wrapped(units, label + "  " + text, "", "", limit);
    }

    // Text inside open/close tags, cut into pieces that each fit a message on their own.
    private static void Wrapped(List<Unit> units, string text, string open, string close, int limit)
    {
        var room = limit - MarkerRoom;
        var start = 0;
        do
        {
            var length = Math.Min(room, text.Length - start);
            // Never split a surrogate pair (an emoji) between two messages.
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1])) length--;
            var piece = text.Substring(start, length);
            units.Add(new Unit(open + Escape(piece) + close, piece.Length));
            start += length;
        }
        while (start < text.Length);
    }

    // Consecutive <pre> lines become one block, so a ladder keeps its columns; Pack splits a block only between lines.
    private static List<Unit> MergePre(List<Unit> units)
    {
        var merged = new List<Unit>(units.Count);
        foreach (var unit in units)
        {
            if (merged.Count > 0 && unit.Html.StartsWith("<pre>", StringComparison.Ordinal) && merged[^1].Html.EndsWith("</pre>", StringComparison.Ordinal))
            {
                var previous = merged[^1];
                merged[^1] = new Unit(previous.Html[..^"</pre>".Length] + "\n" + unit.Html["<pre>".Length..], previous.Visible + 1 + unit.Visible);
            }
            else
            {
                merged.Add(unit);
            }
        }
        return merged;
    }

    private static List<string> Pack(List<Unit> units, int limit)
    {
        var room = limit - MarkerRoom;
        var parts = new List<(StringBuilder Html, int Visible)>();
        foreach (var unit in units.SelectMany(u => u.Visible <= room ? [u] : SplitPre(u, room)))
        {
            if (parts.Count == 0 || parts[^1].Visible + 1 + unit.Visible > room)
            {
                parts.Add((new StringBuilder(unit.Html), unit.Visible));
                continue;
            }
            var (html, visible) = parts[^1];
            parts[^1] = (html.Append('\n').Append(unit.Html), visible + 1 + unit.Visible);
        }
        if (parts.Count == 1) return [parts[0].Html.ToString()];
        return [.. parts.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"[{i + 1}/{parts.Count}] ") + p.Html)];
    }

    // A merged <pre> block too long for one message: back into its lines, each its own block (Pack joins what fits).
    private static IEnumerable<Unit> SplitPre(Unit block, int room)
    {
        var inner = block.Html["<pre>".Length..^"</pre>".Length];
        var lines = inner.Split('\n');
        var current = new StringBuilder();
        var visible = 0;
        foreach (var line in lines)
        {
            var lineVisible = VisibleLength(line);
            if (current.Length > 0 && visible + 1 + lineVisible > room)
            {
                yield return new Unit("<pre>" + current + "</pre>", visible);
                current.Clear();
                visible = 0;
            }
            if (current.Length > 0) { current.Append('\n'); visible++; }
            current.Append(line);
            visible += lineVisible;
        }
        if (current.Length > 0) yield return new Unit("<pre>" + current + "</pre>", visible);
    }

    // Visible length of escaped text without tags (the lines inside a <pre> block).
    private static int VisibleLength(string escaped)
    {
        var length = 0;
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '&')
            {
                var end = escaped.IndexOf(';', i);
                if (end > i) i = end;
            }
            length++;
        }
        return length;
    }
}
