using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Storage;

namespace PerpGuard.Bot.Commands;

/// <summary>Everything a command handler needs for one message: the user's scoped database, the user, and the time.</summary>
/// <param name="Db">Database context of this message's scope.</param>
/// <param name="User">The sender, created on first contact.</param>
/// <param name="Command">The parsed message.</param>
/// <param name="Spec">The command's documentation, for error messages.</param>
/// <param name="Message">The raw message (for channel capabilities).</param>
/// <param name="Now">The time the message is handled.</param>
public sealed record CommandContext(PerpGuardDbContext Db, ChatUser User, CommandText Command, CommandSpec Spec, ChatMessage Message, DateTimeOffset Now)
{
    /// <summary>An error naming the wrong argument, with the command's form and first example.</summary>
    public Reply Wrong(ArgumentError error) => Wrong($"{error}.");

    /// <summary>An error with the command's form and first example.</summary>
    public Reply Wrong(string problem) =>
        Reply.Of(ReplyTone.Error, problem, new ReplyLine("Form", Spec.Usage), new ReplyLine("Example", Spec.Examples[0]));
}
