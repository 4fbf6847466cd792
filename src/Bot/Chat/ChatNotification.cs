namespace PerpGuard.Bot.Chat;

/// <summary>A push message for one user of a channel.</summary>
/// <param name="ExternalId">The platform's id of the recipient.</param>
/// <param name="Message">What to send.</param>
/// <param name="IdempotencyKey">Unique per decided alert: a platform that can deduplicate (Discord's nonce) uses it; a retry sends the same key.</param>
public sealed record ChatNotification(string ExternalId, Reply Message, string IdempotencyKey);

/// <summary>A channel could not deliver a notification.</summary>
public sealed class ChatDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, fit for /status (never containing a token).</param>
    /// <param name="permanent">True when retrying cannot help (the user blocked the bot): the user's delivery on this channel stops.</param>
    /// <param name="retryAfter">When the platform said how long to wait (rate limit).</param>
    public ChatDeliveryException(string message, bool permanent, TimeSpan? retryAfter = null) : base(message)
    {
        Permanent = permanent;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates a transient failure.</summary>
    public ChatDeliveryException() : this("The channel could not deliver the message.", false) { }
    /// <summary>Creates a transient failure.</summary>
    public ChatDeliveryException(string message) : this(message, false) { }
    /// <summary>Creates a transient failure.</summary>
    public ChatDeliveryException(string message, Exception inner) : base(message, inner) { }

    /// <summary>
    /// The platform refused this one message (a malformed request): it is marked failed at once, and the user's
    /// delivery goes on. Not <see cref="Permanent"/>.
    /// </summary>
    public static ChatDeliveryException Rejected(string message) => new(message, permanent: false) { MessageRejected = true };

    /// <summary>Retrying cannot help.</summary>
    public bool Permanent { get; }
    /// <summary>Retrying this message cannot help, but the user's other messages may go through.</summary>
    public bool MessageRejected { get; private init; }
    /// <summary>The wait the platform asked for.</summary>
    public TimeSpan? RetryAfter { get; }
}
