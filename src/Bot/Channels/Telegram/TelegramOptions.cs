using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PerpGuard.Bot.Channels.Telegram;

/// <summary>How Telegram delivers updates.</summary>
public enum TelegramMode
{
    /// <summary><c>getUpdates</c> long polling: no public endpoint needed.</summary>
    Polling,
    /// <summary>Telegram POSTs updates to a Kestrel endpoint registered with <c>setWebhook</c>.</summary>
    Webhook,
}

/// <summary>
/// The Telegram channel (<c>Telegram</c> section). The channel runs when <see cref="Token"/> is set; put the token in
/// the environment (<c>Telegram__Token</c>) or user secrets, never in appsettings.json. It is never logged.
/// </summary>
public sealed class TelegramOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Telegram";

    /// <summary>The public Bot API host.</summary>
    public const string PublicApi = "https://api.telegram.org";

    /// <summary>The bot token from BotFather (<c>123456789:AA...</c>). Empty: no Telegram channel.</summary>
    public string? Token { get; set; }

    /// <summary>Bot API host: the public one, a self-hosted Bot API server, or a test server.</summary>
    [Required, Url] public string ApiBaseUrl { get; set; } = PublicApi;

    /// <summary>Long polling or webhook.</summary>
    public TelegramMode Mode { get; set; } = TelegramMode.Polling;

    /// <summary>How long one <c>getUpdates</c> call waits on the server for an update.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:40")] public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// How long any request may take beyond its own server-side wait; a stalled connection is abandoned after that
    /// and retried with backoff.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")] public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>First wait after a failed poll; doubles (with jitter) up to <see cref="RetryMax"/>, reset by a success.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")] public TimeSpan RetryFirst { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between failed polls.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")] public TimeSpan RetryMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Commands older than this when they arrive (sent while PerpGuard was down) are not run: the sender is told and
    /// can send them again. A position added an hour late, at an old price, is worse than one not added.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")] public TimeSpan IgnoreCommandsOlderThan { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Minimum spacing of messages to one private chat (Telegram: about one per second).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")] public TimeSpan PerChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Minimum spacing of messages to one group (Telegram: 20 per minute).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")] public TimeSpan PerGroupInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Messages per second across all chats (Telegram allows about 30; a margin is kept).</summary>
    [Range(1, 1000)] public int GlobalPerSecond { get; set; } = 25;

    /// <summary>
    /// A reply to a command waits at most this long for its rate-limit slot (after a 429, Telegram may ask for minutes);
    /// past it, the reply is dropped with a warning and the user can ask again. Push alerts never wait here: they go
    /// back to the outbox with the platform's retry-after.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")] public TimeSpan ReplyWaitMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Telegram user ids allowed to use the bot; empty: everyone.</summary>
    public IList<long> AllowedUsers { get; } = [];

    /// <summary>Group chat ids where commands that reveal positions may answer in the group; elsewhere they answer in private.</summary>
    public IList<long> AllowedGroups { get; } = [];

    /// <summary>Webhook mode: the public HTTPS URL Telegram posts to (registered with <c>setWebhook</c> at start).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Webhook mode: where Kestrel listens (behind your TLS proxy), e.g. <c>http://0.0.0.0:8088</c>.</summary>
    public string WebhookListen { get; set; } = "http://127.0.0.1:8088";

    /// <summary>Webhook mode: the path Kestrel serves.</summary>
    public string WebhookPath { get; set; } = "/telegram";

    /// <summary>
    /// Webhook mode: the secret Telegram sends in <c>X-Telegram-Bot-Api-Secret-Token</c> (1–256 of A–Z a–z 0–9 _ -);
    /// requests without it are refused. Keep it with the token (environment or user secrets).
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Whether a token is set, i.e. whether the channel runs.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Token);
}

/// <summary>Checks what data annotations cannot: the token's shape, the webhook settings, and the timeout order.</summary>
public sealed class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TelegramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        // Never echo the token: name the key and the expected shape only.
        if (!IsTokenShaped(options.Token!)) failures.Add("Telegram:Token does not look like a BotFather token (<digits>:<letters, digits, _ or ->)");
        if (options.RetryFirst > options.RetryMax) failures.Add("Telegram:RetryFirst must not exceed Telegram:RetryMax");
        if (options.Mode == TelegramMode.Webhook)
        {
            if (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                failures.Add("Telegram:WebhookUrl must be the public https:// URL Telegram posts to (webhook mode)");
            if (!Uri.TryCreate(options.WebhookListen, UriKind.Absolute, out _))
                failures.Add("Telegram:WebhookListen must be a URL such as http://0.0.0.0:8088");
            if (!options.WebhookPath.StartsWith('/')) failures.Add("Telegram:WebhookPath must start with /");
            if (options.WebhookSecret is not { Length: >= 16 and <= 256 } secret || !secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                failures.Add("Telegram:WebhookSecret must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - (webhook mode)");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsTokenShaped(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < token.Length - 1
            && token[..colon].All(char.IsAsciiDigit)
            && token[(colon + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
    }
}
