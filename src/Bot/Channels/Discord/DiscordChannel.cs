using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Commands;
using PerpGuard.Core.Margin;

namespace PerpGuard.Bot.Channels.Discord;

/// <summary>
/// Discord as a chat channel: slash commands (registered at start from the command catalog) and buttons arrive over the
/// gateway, run through the same router as every channel, and are answered over REST within Discord's 3 seconds
/// (directly when the answer is quick, otherwise deferred and then edited). Account answers are ephemeral in guilds.
/// Push alerts go by direct message to users who have used the bot; a user whose DMs are closed (50007) stops
/// receiving them, shown in /status.
/// </summary>
internal sealed class DiscordChannel(DiscordRest rest, IOptions<DiscordOptions> options, [FromKeyedServices(WallClock.Key)] TimeProvider time, ILogger<DiscordChannel> logger) : IChatChannel
{
    /// <summary>Platform name stored with Discord users.</summary>
    public const string Platform = "discord";

    private readonly DiscordOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, string> _dmChannels = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => Platform;

    /// <inheritdoc />
    public async Task ReceiveAsync(ICommandHandler commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        await RegisterAsync(cancellationToken).ConfigureAwait(false);
        var gateway = new DiscordGateway(rest, _options, time, logger);
        await gateway.RunAsync(i => HandleAsync(i, commands, cancellationToken), () => { }, cancellationToken).ConfigureAwait(false);
    }

    // One bulk overwrite: global, or the configured guild (instant, for development).
    private async Task RegisterAsync(CancellationToken ct)
    {
        var definitions = SlashCommands();
        try
        {
            await rest.RegisterCommandsAsync(definitions, ct).ConfigureAwait(false);
            logger.DiscordCommandsRegistered(definitions.Count, _options.GuildId is { Length: > 0 } g ? $"guild {g}" : "global");
        }
        catch (DiscordApiException ex) when (ex.Status == 401)
        {
            throw new ChatChannelFatalException($"Discord rejected the bot token ({ex.Description}). Check Discord:Token (environment Discord__Token).");
        }
        catch (DiscordApiException ex)
        {
            // Commands registered earlier keep working; the reason is in the log.
            logger.DiscordRequestFailed(ex.Route, ex.Status, ex.Code, ex.Description);
        }
    }

    /// <summary>The slash commands, generated from the command catalog: typed options, choices, symbol autocomplete.</summary>
    public static IReadOnlyList<DiscordCommand> SlashCommands() =>
    [
        .. CommandCatalog.All.Select(c => new DiscordCommand(c.Name, CommandText.Shorten(c.Summary, 100), 1,
            // Discord wants required options first; the text form keeps the catalog's order (Compose).
            [.. c.Parameters.OrderByDescending(p => p.Required).Select(Option)],
            Contexts: [0, 1, 2], IntegrationTypes: [0])),
    ];

    private static DiscordCommandOption Option(CommandParameter p) => p.Kind switch
    {
        ParameterKind.Number => new(10, p.Name, CommandText.Shorten(p.Description, 100), p.Required, null, null, null),
        ParameterKind.WholeNumber => new(4, p.Name, CommandText.Shorten(p.Description, 100), p.Required, null, null, 1),
        ParameterKind.Choice => new(3, p.Name, CommandText.Shorten(p.Description, 100), p.Required, [.. p.Choices.Select(v => new DiscordChoice(v, v))], null, null),
        ParameterKind.Symbol => new(3, p.Name, CommandText.Shorten(p.Description, 100), p.Required, null, true, null),
        _ => new(3, p.Name, CommandText.Shorten(p.Description, 100), p.Required, null, null, null),
    };

    /// <summary>Handles one interaction; errors are logged, never thrown at the gateway.</summary>
    internal async Task HandleAsync(DiscordInteraction interaction, ICommandHandler commands, CancellationToken ct)
    {
        try
        {
            if (interaction.Invoker is not { } user) return;
            var identity = new ChatIdentity(Platform, user.Id, user.GlobalName ?? user.Username);
            switch (interaction.Type)
            {
                case 2:
                    await CommandAsync(interaction, identity, commands, ct).ConfigureAwait(false);
                    break;
                case 3:
                    await ComponentAsync(interaction, identity, commands, ct).ConfigureAwait(false);
                    break;
                case 4:
                    await rest.AutocompleteAsync(interaction.Id, interaction.Token, new DiscordAutocompleteResponse(8, new DiscordAutocompleteChoices(Suggest(interaction))), ct).ConfigureAwait(false);
                    break;
            }
        }
        catch (DiscordApiException ex)
        {
            logger.DiscordRequestFailed(ex.Route, ex.Status, ex.Code, ex.Description);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.DiscordInteractionFailed(ex, interaction.Id);
        }
    }

    private Task CommandAsync(DiscordInteraction interaction, ChatIdentity identity, ICommandHandler commands, CancellationToken ct)
    {
        var name = interaction.Data?.Name ?? "";
        var text = CommandCatalog.TryFind(name, out var spec) ? CommandCatalog.Compose(spec, Values(interaction.Data?.Options)) : "/" + name;
        // Account answers are for the invoker's eyes in a guild; in DMs there is nobody else.
        var ephemeral = interaction.GuildId is not null && spec?.SafeInGroups != true;
        return AnswerAsync(interaction, ephemeral, update: false, () => commands.HandleAsync(new ChatMessage(identity, text, SupportsButtons: true), ct), ct);
    }

    private Task ComponentAsync(DiscordInteraction interaction, ChatIdentity identity, ICommandHandler commands, CancellationToken ct)
    {
        var id = interaction.Data?.CustomId ?? "";
        var refresh = id.StartsWith(DiscordRender.RefreshPrefix, StringComparison.Ordinal);
        var command = refresh ? id[DiscordRender.RefreshPrefix.Length..] : id;
        var ephemeral = interaction.GuildId is not null;
        if (!command.StartsWith('/'))
            return AnswerAsync(interaction, ephemeral: true, update: false, () => Task.FromResult(Reply.Text(ReplyTone.Error, "This button is not one of PerpGuard's; /help lists the commands.")), ct);
        // The presser acts as themselves, as if they had typed the command: only their own data can be touched.
        return AnswerAsync(interaction, ephemeral, update: refresh, async () =>
        {
            var reply = await commands.HandleAsync(new ChatMessage(identity, command, SupportsButtons: true), ct).ConfigureAwait(false);
            return refresh ? reply.Refreshed(time.GetUtcNow()) : reply;
        }, ct);
    }

    /// <summary>
    /// Answers within Discord's 3 seconds: directly when the reply is ready within <see cref="DiscordOptions.DeferAfter"/>,
    /// otherwise a deferral at once (ephemeral decided then, as Discord requires) and an edit of the original when ready.
    /// <paramref name="update"/> rewrites the message a button sat on (Refresh) instead of answering with a new one.
    /// </summary>
    private async Task AnswerAsync(DiscordInteraction interaction, bool ephemeral, bool update, Func<Task<Reply>> run, CancellationToken ct)
    {
        var work = run();
        var quick = _options.DeferAfter > TimeSpan.Zero && await Task.WhenAny(work, Task.Delay(_options.DeferAfter, time, ct)).ConfigureAwait(false) == work;
        if (quick)
        {
            var messages = DiscordRender.Render(await work.ConfigureAwait(false), ephemeral);
            await rest.RespondAsync(interaction.Id, interaction.Token, new DiscordInteractionResponse(update && messages.Count == 1 ? 7 : 4, messages[0]), ct).ConfigureAwait(false);
            foreach (var more in messages.Skip(1)) await rest.FollowupAsync(interaction.Token, more, ct).ConfigureAwait(false);
            return;
        }
        await rest.RespondAsync(interaction.Id, interaction.Token, new DiscordInteractionResponse(update ? 6 : 5, ephemeral ? new DiscordMessage(null, null, null, DiscordRender.EphemeralFlag, null) : null), ct).ConfigureAwait(false);
        var late = DiscordRender.Render(await work.ConfigureAwait(false), ephemeral);
        await rest.EditOriginalAsync(interaction.Token, late[0] with { Flags = null }, ct).ConfigureAwait(false);
        foreach (var more in late.Skip(1)) await rest.FollowupAsync(interaction.Token, more, ct).ConfigureAwait(false);
    }

    // Options by name (a subcommand's own options flattened); numbers as typed, so the router reads them like text.
    private static Dictionary<string, string> Values(IReadOnlyList<DiscordOptionValue>? options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in options ?? [])
        {
            if (o.Options is { Count: > 0 } nested) foreach (var (name, text) in Values(nested)) values[name] = text;
            else if (o.Value is { } value) values[o.Name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }
        return values;
    }

    // Up to 25 known perpetual symbols starting with what was typed (the typed text itself first when it is a symbol).
    private static List<DiscordChoice> Suggest(DiscordInteraction interaction)
    {
        var typed = interaction.Data?.Options?.SelectMany(o => o.Options ?? [o]).FirstOrDefault(o => o.Focused == true)?.Value is { ValueKind: JsonValueKind.String } v
            ? v.GetString()!.Trim().ToUpperInvariant() : "";
        var known = TierCatalog.BuiltIn.Tables
            .Where(t => t.Symbol.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || t.BaseAsset.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(t => t.Symbol);
        var all = (typed.Length > 0 ? known.Prepend(typed) : known).Distinct(StringComparer.OrdinalIgnoreCase).Take(25);
        return [.. all.Select(s => new DiscordChoice(s, s))];
    }

    /// <inheritdoc />
    public async Task SendAsync(ChatNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        try
        {
            if (!_dmChannels.TryGetValue(notification.ExternalId, out var channel))
                _dmChannels[notification.ExternalId] = channel = await rest.CreateDmAsync(notification.ExternalId, cancellationToken).ConfigureAwait(false);
            var messages = DiscordRender.Render(notification.Message, ephemeral: false);
            for (var i = 0; i < messages.Count; i++)
            {
                // Discord drops a repeated nonce (a retry after a lost answer) instead of posting the message twice.
                var nonce = $"{notification.IdempotencyKey[..Math.Min(22, notification.IdempotencyKey.Length)]}-{i}";
                await rest.CreateMessageAsync(channel, messages[i] with { Nonce = nonce, EnforceNonce = true }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DiscordApiException ex)
        {
            throw ex switch
            {
                { Code: 50007 or 50278 } or { Status: 403 } => new ChatDeliveryException($"Discord: {ex.Description}{(ex.Code != 0 ? $" ({ex.Code})" : "")}", permanent: true),
                { Status: 429 } => new ChatDeliveryException($"Discord rate limit: {ex.Description}", permanent: false, ex.RetryAfter ?? TimeSpan.FromSeconds(5)),
                { Status: 400 } => ChatDeliveryException.Rejected(ex.Message),
                _ => new ChatDeliveryException(ex.Message, permanent: false),
            };
        }
    }
}
