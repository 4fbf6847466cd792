namespace PerpGuard.Bot.Chat;

/// <summary>How a reply should look at a glance (channels map it to an emoji, a color, or a prefix).</summary>
public enum ReplyTone
{
    /// <summary>Information.</summary>
    Info,
    /// <summary>Something was done.</summary>
    Success,
    /// <summary>Something needs attention.</summary>
    Warning,
    /// <summary>The command was not carried out.</summary>
    Error,
}

/// <summary>A labelled line (<c>Liquidation  57,286.5 USDT</c>) or, without a label, a paragraph.</summary>
/// <param name="Label">Short label, or null for a plain paragraph.</param>
/// <param name="Text">The text; channels escape it for their markup.</param>
public sealed record ReplyLine(string? Label, string Text);

/// <summary>A titled group of lines, e.g. one position card.</summary>
/// <param name="Title">Heading, or null.</param>
/// <param name="Lines">Body.</param>
public sealed record ReplySection(string? Title, IReadOnlyList<ReplyLine> Lines)
{
    /// <summary>Lines that must keep their columns (a ladder): channels render them in a fixed-width font, unwrapped.</summary>
    public bool Monospace { get; init; }
}

/// <summary>A button; pressing it sends <paramref name="Command"/> as if the user had typed it.</summary>
/// <param name="Label">Button text.</param>
/// <param name="Command">The command it sends, e.g. <c>/remove 3 confirm</c>.</param>
public sealed record ReplyButton(string Label, string Command)
{
    /// <summary>
    /// A refresh: pressing it re-runs <see cref="Command"/> and replaces the message it sits on (channels that can edit
    /// messages), instead of answering with a new one.
    /// </summary>
    public bool Refresh { get; init; }
}

/// <summary>
/// A chat-neutral answer to a command or a push notification. Channels render it: plain text on the console, HTML on
/// Telegram, embeds on Discord. Text is never pre-formatted for one platform.
/// </summary>
public sealed record Reply
{
    /// <summary>Tone of the whole reply.</summary>
    public ReplyTone Tone { get; init; }
    /// <summary>First line, e.g. <c>Added #3</c>.</summary>
    public required string Headline { get; init; }
    /// <summary>Body sections.</summary>
    public IReadOnlyList<ReplySection> Sections { get; init; } = [];
    /// <summary>Buttons, for channels that have them; channels without buttons show nothing for them.</summary>
    public IReadOnlyList<ReplyButton> Buttons { get; init; } = [];

    /// <summary>A one-section reply.</summary>
    public static Reply Of(ReplyTone tone, string headline, params IEnumerable<ReplyLine> lines) =>
        new() { Tone = tone, Headline = headline, Sections = lines.Any() ? [new ReplySection(null, [.. lines])] : [] };

    /// <summary>The reply with a last line saying when it was refreshed (a Refresh button's edit must visibly change).</summary>
    public Reply Refreshed(DateTimeOffset now) =>
        this with { Sections = [.. Sections, new ReplySection(null, [new ReplyLine(null, $"Updated {now.UtcDateTime:HH:mm:ss} UTC")])] };

    /// <summary>A reply with only a headline.</summary>
    public static Reply Text(ReplyTone tone, string headline) => new() { Tone = tone, Headline = headline };
}
