using System.Text;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Rendering;

namespace PerpGuard.Bot.Channels.Discord;

/// <summary>
/// Renders a <see cref="Reply"/> as Discord messages with one embed each: the headline as the title, colored by the
/// alert's severity (or the reply's tone), untitled lines in the description, each titled section a field, ladders
/// in code blocks. Text is escaped for Discord's markdown and mentions never ping. Discord's limits (title 256,
/// description 4096, 25 fields of 1024, 6000 per message, custom ids 100) are kept by splitting into more messages,
/// never by cutting; buttons go with the last one.
/// </summary>
internal static class DiscordRender
{
    /// <summary>Ephemeral: only the invoking user sees the message.</summary>
    public const int EphemeralFlag = 1 << 6;

    /// <summary>Prefix of a Refresh button's custom id: the command is re-run and the message updated in place.</summary>
    public const string RefreshPrefix = "r:";

    private const int MaxTitle = 256, MaxDescription = 4096, MaxFields = 25, MaxFieldName = 256, MaxFieldValue = 1024, MaxTotal = 6000, MaxCustomId = 100;

    private static readonly DiscordAllowedMentions NoMentions = new([]);

    /// <summary>The reply as one or more messages, ephemeral when asked.</summary>
    public static IReadOnlyList<DiscordMessage> Render(Reply reply, bool ephemeral)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var title = PlainTextReply.Marker(reply) + reply.Headline;
        var color = Color(reply);
        var blocks = new List<(string? Name, string Text)>();
        if (title.Length > MaxTitle)
        {
            blocks.Add((null, Escape(title)));
            title = title[..(MaxTitle - 1)] + "…";
        }
        foreach (var section in reply.Sections)
        {
            // Pieces small enough for a field even when untitled: the description may be full, so they may become fields.
            var limit = MaxFieldValue;
            var name = section.Title is null ? null : Escape(section.Title) is var t && t.Length > MaxFieldName ? t[..(MaxFieldName - 1)] + "…" : Escape(section.Title);
            // A ladder keeps its columns in code blocks, one fence per piece.
            var chunks = section.Monospace ? Chunks(CodeBlock(section), limit - 8).Select(c => "```\n" + c + "\n```") : Chunks([.. section.Lines.Select(Line)], limit);
            foreach (var chunk in chunks) blocks.Add((name, chunk));
        }

        var embeds = new List<DiscordEmbed>();
        var description = new StringBuilder();
        var fields = new List<DiscordEmbedField>();
        var total = title.Length;
        void Flush()
        {
            embeds.Add(new DiscordEmbed(embeds.Count == 0 ? title : null, description.Length == 0 ? null : description.ToString(), color, fields.Count == 0 ? null : [.. fields], null));
            description.Clear();
            fields.Clear();
            total = 0;
        }
        foreach (var (name, text) in blocks)
        {
            var isField = name is not null || description.Length + text.Length + 1 > MaxDescription || fields.Count > 0;
            var size = (name?.Length ?? 1) + text.Length + 1;
            if (total + size > MaxTotal || (isField && fields.Count == MaxFields) || (!isField && description.Length + text.Length + 1 > MaxDescription)) Flush();
            if (name is null && fields.Count == 0 && description.Length + text.Length + 1 <= MaxDescription)
            {
                if (description.Length > 0) description.Append('\n');
                description.Append(text);
            }
            else
            {
                fields.Add(new DiscordEmbedField(name ?? "\u200b", text));
            }
            total += size;
        }
        if (description.Length > 0 || fields.Count > 0 || embeds.Count == 0) Flush();

        var components = Components(reply.Buttons);
        var flags = ephemeral ? EphemeralFlag : (int?)null;
        return [.. embeds.Select((e, i) => new DiscordMessage(null, [e], i == embeds.Count - 1 ? components : null, flags, NoMentions))];
    }

    /// <summary>Buttons in action rows of up to five; custom ids over 100 characters or repeated are left out (the text still names the commands).</summary>
    public static IReadOnlyList<DiscordComponent>? Components(IReadOnlyList<ReplyButton> buttons)
    {
        ArgumentNullException.ThrowIfNull(buttons);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var usable = buttons
            .Select(b => new DiscordComponent(2, Style: b.Refresh ? 1 : 2, Label: b.Label.Length > 80 ? b.Label[..80] : b.Label, CustomId: (b.Refresh ? RefreshPrefix : "") + b.Command))
            .Where(b => b.CustomId!.Length <= MaxCustomId && seen.Add(b.CustomId))
            .ToList();
        return usable.Count == 0 ? null : [.. usable.Chunk(5).Take(5).Select(row => new DiscordComponent(1, Components: row))];
    }

    /// <summary>Escapes Discord markdown so what a user typed shows as typed (and masked links, headings and quotes do not form).</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var lineStart = i == 0 || text[i - 1] == '\n';
            if (c is '\\' or '*' or '_' or '~' or '`' or '|' or '[' or ']' or '<' || lineStart && c is '>' or '#' or '-') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string Line(ReplyLine line) => line.Label is null ? Escape(line.Text) : $"**{Escape(line.Label)}**  {Escape(line.Text)}";

    // A ladder keeps its columns in a code block; code blocks need no escaping except their own fence.
    private static List<string> CodeBlock(ReplySection section)
    {
        var width = section.Lines.Max(l => (int?)l.Label?.Length) ?? 0;
        return [.. section.Lines.Select(l => (l.Label is null ? l.Text : l.Label.PadRight(width) + " " + l.Text).Replace("```", "ˋˋˋ", StringComparison.Ordinal))];
    }

    // Lines packed into pieces of at most `limit` characters; a line longer than that is split, never cut.
    private static IEnumerable<string> Chunks(List<string> lines, int limit)
    {
        var current = new StringBuilder();
        foreach (var line in lines.SelectMany(l => Pieces(l, limit)))
        {
            if (current.Length > 0 && current.Length + 1 + line.Length > limit)
            {
                yield return current.ToString();
                current.Clear();
            }
            if (current.Length > 0) current.Append('\n');
            current.Append(line);
        }
        if (current.Length > 0) yield return current.ToString();
    }

    private static IEnumerable<string> Pieces(string line, int limit)
    {
        var start = 0;
        do
        {
            var length = Math.Min(limit, line.Length - start);
            if (start + length < line.Length && char.IsHighSurrogate(line[start + length - 1])) length--;
            yield return line.Substring(start, length);
            start += length;
        }
        while (start < line.Length);
    }

    private static int? Color(Reply reply)
    {
        var badge = AlertText.Badges.ToList().FindIndex(b => reply.Headline.StartsWith(b, StringComparison.Ordinal));
        if (badge >= 0) return badge switch { 0 => 0xE74C3C, 1 => 0xE67E22, 2 => 0xF1C40F, _ => 0x3498DB };
        return reply.Tone switch
        {
            ReplyTone.Success => 0x2ECC71,
            ReplyTone.Warning => 0xF1C40F,
            ReplyTone.Error => 0xE74C3C,
            _ => 0x5865F2,
        };
    }
}
