using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Alerts;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Storage;

namespace PerpGuard.Bot.Commands;

/// <summary>
/// The chat-neutral front door: parses a message, finds (or creates) its sender, runs the command in a fresh database
/// scope, and returns a <see cref="Reply"/> the channel renders. Bad input gets an explanation; a failure inside a
/// command is logged and answered, never thrown at the channel.
/// </summary>
public sealed class CommandRouter(IServiceScopeFactory scopes, PositionCommands positions, AccountCommands account, RiskCommands riskCommands, AlertCommands alertCommands,
    PortfolioCommands portfolioCommands, AlertEngine alerts, TimeProvider time, ILogger<CommandRouter> logger) : ICommandHandler
{
    /// <inheritdoc />
    public async Task<Reply> HandleAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!CommandText.TryParse(message.Text, out var command, out var error)) return Reply.Text(ReplyTone.Error, error);
        if (!CommandCatalog.TryFind(command.Name, out var spec))
        {
            var suggestion = CommandCatalog.Suggest(command.Name);
            return Reply.Text(ReplyTone.Error, suggestion is null
                ? $"Unknown command /{CommandText.Shorten(command.Name)}. Send /help to see the commands."
                : $"Unknown command /{CommandText.Shorten(command.Name)}. Did you mean /{suggestion}? (/help {suggestion} explains it)");
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
            var now = time.GetUtcNow();
            var user = await FindOrCreateUserAsync(db, message.Sender, now, cancellationToken);
            var context = new CommandContext(db, user, command, spec, message, now);
            try
            {
                return await RunAsync(spec, context, cancellationToken);
            }
            finally
            {
                // Positions, rules, settings or mutes may have changed: the alert engine reloads this user before its next sweep.
                alerts.Invalidate(user.Id);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The channel must always get an answer; the failure is logged with its stack.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.CommandFailed(ex, spec.Name, message.Sender.Platform);
            return Reply.Text(ReplyTone.Error, $"/{spec.Name} failed on our side and was not completed. Please try again; if it keeps failing, /status shows whether PerpGuard is healthy.");
        }
    }

    private async Task<Reply> RunAsync(CommandSpec spec, CommandContext context, CancellationToken cancellationToken) =>
            spec.Name switch
            {
                "start" => await AccountCommands.StartAsync(context, cancellationToken),
                "help" => AccountCommands.Help(context),
                "add" => await positions.AddAsync(context, cancellationToken),
                "positions" => await positions.ListAsync(context, cancellationToken),
                "risk" => await positions.RiskAsync(context, cancellationToken),
                "liq" => positions.Liq(context),
                "edit" => await positions.EditAsync(context, cancellationToken),
                "remove" => await positions.RemoveAsync(context, cancellationToken),
                "settings" => await account.SettingsAsync(context, cancellationToken),
                "mute" => await AlertCommands.MuteAsync(context, cancellationToken),
                "unmute" => await AlertCommands.UnmuteAsync(context, cancellationToken),
                "status" => await account.StatusAsync(context, cancellationToken),
                "clusters" => await riskCommands.ClustersAsync(context, cancellationToken),
                "rules" => await RiskCommands.RulesAsync(context, cancellationToken),
                "rule" => await RiskCommands.RuleAsync(context, cancellationToken),
                "alerts" => await AlertCommands.HistoryAsync(context, cancellationToken),
                "snooze" => await alertCommands.SnoozeAsync(context, cancellationToken),
                "stress" => await portfolioCommands.StressAsync(context, cancellationToken),
                "portfolio" => await portfolioCommands.PortfolioAsync(context, cancellationToken),
                _ => throw new InvalidOperationException($"Command /{spec.Name} has no handler."),
            };

    private static async Task<ChatUser> FindOrCreateUserAsync(PerpGuardDbContext db, ChatIdentity sender, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = sender.DisplayName is { Length: > 128 } full ? full[..128] : sender.DisplayName;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Platform == sender.Platform && u.ExternalId == sender.ExternalId, cancellationToken);
        if (user is null)
        {
            user = new ChatUser { Platform = sender.Platform, ExternalId = sender.ExternalId, DisplayName = name, CreatedAt = now };
            db.Users.Add(user);
            await db.SaveChangesAsync(cancellationToken);
        }
        else if (name is not null && user.DisplayName != name)
        {
            user.DisplayName = name;
            await db.SaveChangesAsync(cancellationToken);
        }
        return user;
    }
}
