namespace PerpGuard.Bot.Chat;

/// <summary>Who is talking, as the chat platform identifies them.</summary>
/// <param name="Platform">Channel name: <c>console</c>, <c>telegram</c>, <c>discord</c>.</param>
/// <param name="ExternalId">The platform's user or chat id.</param>
/// <param name="DisplayName">Name to greet with, when the platform gives one.</param>
public sealed record ChatIdentity(string Platform, string ExternalId, string? DisplayName);

/// <summary>One incoming text from a channel.</summary>
/// <param name="Sender">Who sent it.</param>
/// <param name="Text">What they typed (or the command a pressed button carries).</param>
/// <param name="SupportsButtons">Whether the channel can show <see cref="ReplyButton"/>s (and so ask for confirmation).</param>
public sealed record ChatMessage(ChatIdentity Sender, string Text, bool SupportsButtons);

/// <summary>Turns an incoming message into a reply. Implemented by the command router; never throws for user input.</summary>
public interface ICommandHandler
{
    /// <summary>Handles one message.</summary>
    Task<Reply> HandleAsync(ChatMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// A chat platform. Every channel (console, Telegram, Discord) receives commands through <see cref="ReceiveAsync"/> and
/// delivers push notifications through <see cref="SendAsync"/>; the rest of PerpGuard never knows which one it talks to.
/// </summary>
public interface IChatChannel
{
    /// <summary>Platform name, stored with each user (<c>console</c>, <c>telegram</c>, <c>discord</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Receives messages and answers each through <paramref name="commands"/> until cancelled, or until the channel's
    /// input ends (the console at end of input).
    /// </summary>
    Task ReceiveAsync(ICommandHandler commands, CancellationToken cancellationToken);

    /// <summary>Sends a notification to a user of this channel.</summary>
    /// <exception cref="ChatDeliveryException">The platform refused it; <see cref="ChatDeliveryException.Permanent"/> says whether a retry can help.</exception>
    Task SendAsync(ChatNotification notification, CancellationToken cancellationToken);
}
