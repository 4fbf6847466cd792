namespace PerpGuard.Bot.Chat;

/// <summary>
/// A channel cannot run as configured (a rejected token, a second bot instance on the same token): retrying will not
/// help. The channel stops; the message says what to fix and never contains a secret.
/// </summary>
public sealed class ChatChannelFatalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChatChannelFatalException() : this("The chat channel cannot run with this configuration.") { }
    /// <summary>Creates the exception.</summary>
    public ChatChannelFatalException(string message) : base(message) { }
    /// <summary>Creates the exception.</summary>
    public ChatChannelFatalException(string message, Exception inner) : base(message, inner) { }
}
