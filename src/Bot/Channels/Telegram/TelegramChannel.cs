using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Alerts;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Storage;

namespace PerpGuard.Bot.Channels.Telegram;

/// <summary>
/// Telegram as a chat channel. Receives by long polling (or webhook), runs each command through the same router as
/// the console, and answers in HTML with inline buttons; pushes alerts to the user's private chat.
/// <list type="bullet">
/// <item>An update is handled once: its id is logged in SQLite after the command ran and before the answer is sent,
/// and Telegram's redelivery of a handled update (a restart before the next poll confirmed it) is skipped.</item>
/// <item>Commands older than <see cref="TelegramOptions.IgnoreCommandsOlderThan"/> (sent while PerpGuard was down) are
/// answered "not run", never run late.</item>
/// <item>In groups, commands that show the sender's account answer in the private chat, with a hint in the group,
/// unless the group is in <see cref="TelegramOptions.AllowedGroups"/>; <see cref="TelegramOptions.AllowedUsers"/>, when
/// set, limits who may use the bot at all.</item>
/// <item>Sends respect Telegram's limits (<see cref="TelegramRateLimiter"/>); a 403 on an alert stops that user's
/// delivery (shown in /status), a blocked bot reported by <c>my_chat_member</c> stops it before any alert fails.</item>
/// </list>
/// </summary>
internal sealed partial class TelegramChannel(TelegramApi api, TelegramRateLimiter limiter, IOptions<TelegramOptions> options, IServiceScopeFactory scopes,
    AlertEngine engine, [FromKeyedServices(WallClock.Key)] TimeProvider time, ILogger<TelegramChannel> logger) : IChatChannel
{
    /// <summary>Platform name stored with Telegram users.</summary>
    public const string Platform = "telegram";

    // Alerts wait at most this long for a send slot; longer, they go back to the outbox with the wait as retry-after.
    private static readonly TimeSpan AlertWaitMax = TimeSpan.FromSeconds(5);
    private static readonly TelegramLinkPreviewOptions NoPreview = new(true);
    private const int ConflictsBeforeStopping = 5;

    private readonly TelegramOptions _options = options.Value;
    private string _botUsername = "";
    private DateTimeOffset _prunedAt;

    /// <inheritdoc />
    public string Name => Platform;

    /// <summary>The bot's username, known once receiving started.</summary>
    public string BotUsername => _botUsername;

    /// <inheritdoc />
    public async Task ReceiveAsync(ICommandHandler commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Mode == TelegramMode.Webhook)
            await TelegramWebhook.RunAsync(this, commands, api, _options, logger, cancellationToken).ConfigureAwait(false);
        else
            await PollAsync(commands, cancellationToken).ConfigureAwait(false);
    }

    // getMe proves the token (401 is a configuration error: stop, never retry); the command menu comes from the catalog.
    private async Task StartAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var me = await api.GetMeAsync(ct).ConfigureAwait(false);
                _botUsername = me.Username ?? "";
                break;
            }
            catch (TelegramApiException ex) when (ex.ErrorCode is 401 or 404)
            {
                throw new ChatChannelFatalException($"Telegram rejected the bot token ({ex.ErrorCode} {ex.Description}). Check Telegram:Token (environment Telegram__Token); BotFather's /token shows it.");
            }
            catch (TelegramApiException ex) when (ex.Transient)
            {
                var wait = Backoff(attempt);
                logger.TelegramPollFailed(ex.Message, wait);
                await Task.Delay(wait, time, ct).ConfigureAwait(false);
            }
        }
        try
        {
            await api.SetMyCommandsAsync(new SetMyCommandsRequest(MenuCommands()), ct).ConfigureAwait(false);
        }
        catch (TelegramApiException ex)
        {
            // The menu is a convenience: typed commands work without it.
            logger.TelegramRequestFailed(ex.Method, ex.ErrorCode, ex.Description);
        }
        await PruneProcessedAsync(ct).ConfigureAwait(false);
        logger.TelegramStarted(_botUsername, _options.Mode);
    }

    /// <summary>The command menu: every catalog command with its summary (Telegram: 1–32 of a–z 0–9 _, 1–256 characters).</summary>
    public static IReadOnlyList<TelegramBotCommand> MenuCommands() =>
        [.. CommandCatalog.All.Select(c => new TelegramBotCommand(c.Name, CommandText.Shorten(c.Summary, 256)))];

    private async Task PollAsync(ICommandHandler commands, CancellationToken ct)
    {
        long? offset = null;
        var failures = 0;
        var conflicts = 0;
        var webhookDeleted = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            TelegramUpdate[] updates;
            try
            {
                updates = await api.GetUpdatesAsync(offset, ct).ConfigureAwait(false);
                failures = 0;
                conflicts = 0;
            }
            catch (TelegramApiException ex) when (ex.ErrorCode == 409 && ex.Says("webhook") && !webhookDeleted)
            {
                // This process owns the token (it was configured for polling): switch the bot back to polling, keeping
                // the queued updates.
                logger.TelegramWebhookDeleted();
                await api.DeleteWebhookAsync(dropPending: false, ct).ConfigureAwait(false);
                webhookDeleted = true;
                continue;
            }
            catch (TelegramApiException ex) when (ex.ErrorCode == 409)
            {
                // Two pollers on one token kick each other forever: back off hard, then give up loudly.
                if (++conflicts >= ConflictsBeforeStopping)
                    throw new ChatChannelFatalException($"Telegram keeps answering 409 Conflict ({ex.Description}): another process is receiving updates for this bot token. Stop the other instance (or its webhook), then restart PerpGuard.");
                var wait = Backoff(conflicts + 2);
                logger.TelegramConflict(ex.Description, conflicts, ConflictsBeforeStopping, wait);
                await Task.Delay(wait, time, ct).ConfigureAwait(false);
                continue;
            }
            catch (TelegramApiException ex) when (ex.ErrorCode is 401 or 404)
            {
                throw new ChatChannelFatalException($"Telegram rejected the bot token while polling ({ex.ErrorCode} {ex.Description}); it may have been revoked. Check Telegram:Token.");
            }
            catch (TelegramApiException ex)
            {
                var wait = ex.RetryAfter ?? Backoff(++failures);
                logger.TelegramPollFailed(ex.Message, wait);
                await Task.Delay(wait, time, ct).ConfigureAwait(false);
                continue;
            }
            if (updates.Length == 0) continue;
            try
            {
                await HandleBatchAsync(updates, commands, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The database failed (busy, disk): the batch is not confirmed, so Telegram sends it again, and what
                // was handled before the failure is skipped then.
                var wait = Backoff(++failures);
                logger.TelegramBatchFailed(ex, wait);
                await Task.Delay(wait, time, ct).ConfigureAwait(false);
                continue;
            }
            // Polling with the next id confirms the whole batch: Telegram will not send it again.
            offset = updates.Max(u => u.UpdateId) + 1;
        }
    }

    /// <summary>Exponential backoff with jitter: first wait doubled per attempt, capped, ±20%.</summary>
    private TimeSpan Backoff(int attempt) => Chat.Backoff.Jittered(_options.RetryFirst, _options.RetryMax, attempt);

    // Updates of one chat in order, different chats side by side; updates handled before (a redelivery) are skipped.
    private async Task HandleBatchAsync(TelegramUpdate[] updates, ICommandHandler commands, CancellationToken ct)
    {
        var handled = await ProcessedAsync([.. updates.Select(u => u.UpdateId)], ct).ConfigureAwait(false);
        var fresh = updates.Where(u => !handled.Contains(u.UpdateId)).OrderBy(u => u.UpdateId);
        foreach (var id in updates.Select(u => u.UpdateId).Where(handled.Contains)) logger.TelegramUpdateSkipped(id);
        await Parallel.ForEachAsync(fresh.GroupBy(ChatOf), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (chat, token) =>
            {
                foreach (var update in chat) await HandleAsync(update, commands, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <summary>The chat an update belongs to (its ordering key).</summary>
    internal static long ChatOf(TelegramUpdate u) =>
        u.Message?.Chat.Id ?? u.CallbackQuery?.Message?.Chat.Id ?? u.CallbackQuery?.From.Id ?? u.MyChatMember?.Chat.Id ?? 0;

    /// <summary>
    /// Handles one update: runs what it asks, logs it as handled, then answers. A failure is logged and the update
    /// still counts as handled, so one poisonous update cannot block the chat.
    /// </summary>
    internal async Task HandleAsync(TelegramUpdate update, ICommandHandler commands, CancellationToken ct)
    {
        Func<CancellationToken, Task>? answer = null;
        try
        {
            answer = update switch
            {
                { Message: { } message } => await MessageAsync(message, commands, ct).ConfigureAwait(false),
                { CallbackQuery: { } callback } => await CallbackAsync(callback, commands, ct).ConfigureAwait(false),
                { MyChatMember: { } member } => await MembershipAsync(member, ct).ConfigureAwait(false),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.TelegramUpdateFailed(ex, update.UpdateId);
        }
        await MarkProcessedAsync(update.UpdateId, ct).ConfigureAwait(false);
        if (answer is null) return;
        try
        {
            await answer(ct).ConfigureAwait(false);
        }
        catch (TelegramApiException ex)
        {
            // The command ran; only its answer is lost (blocked meanwhile, rate limited for minutes). The user can ask again.
            logger.TelegramRequestFailed(ex.Method, ex.ErrorCode, ex.Description);
        }
    }

    private async Task<Func<CancellationToken, Task>?> MessageAsync(TelegramMessage message, ICommandHandler commands, CancellationToken ct)
    {
        if (message.From is not { IsBot: false } from) return null;
        var chat = message.Chat;
        var isPrivate = chat.Type == "private";
        var text = message.Text?.Trim();
        if (!isPrivate && !AddressedToMe(text)) return null; // group chatter, or another bot's command
        if (text is null)
            return Answer(chat, message, Reply.Text(ReplyTone.Info, "I understand text commands. Send /help to see them."));
        if (!Allowed(from.Id))
        {
            logger.TelegramUserRefused(from.Id);
            return Answer(chat, message, NotAllowed(from.Id));
        }
        var sent = DateTimeOffset.FromUnixTimeSeconds(message.Date);
        var age = time.GetUtcNow() - sent;
        if (age > _options.IgnoreCommandsOlderThan)
        {
            logger.TelegramStaleCommand(from.Id, age);
            return Answer(chat, message, Reply.Text(ReplyTone.Warning,
                $"Not run: {CommandText.Shorten(text, 64)} was sent at {sent.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {Ago(age)} ago, while PerpGuard was offline. Send it again if you still want it."));
        }
        var reply = await commands.HandleAsync(new ChatMessage(Identity(from), text, SupportsButtons: true), ct).ConfigureAwait(false);
        return Route(chat, from, text, reply, message);
    }

    private async Task<Func<CancellationToken, Task>?> CallbackAsync(TelegramCallbackQuery callback, ICommandHandler commands, CancellationToken ct)
    {
        var data = callback.Data ?? "";
        var refresh = data.StartsWith(TelegramHtml.RefreshPrefix, StringComparison.Ordinal);
        var command = refresh ? data[TelegramHtml.RefreshPrefix.Length..] : data;
        if (!Allowed(callback.From.Id))
        {
            logger.TelegramUserRefused(callback.From.Id);
            return ct2 => AnswerCallbackAsync(callback.Id, CommandText.Shorten(NotAllowed(callback.From.Id).Headline, 200), showAlert: true, ct2);
        }
        if (!command.StartsWith('/'))
        {
            // Callback data is client-controlled: only PerpGuard's own "/command" buttons mean anything.
            return ct2 => AnswerCallbackAsync(callback.Id, "This button is not one of PerpGuard's; send /help for the commands.", showAlert: true, ct2);
        }
        // The presser acts as themselves, exactly as if they had typed the command: they can only touch their own data.
        var reply = await commands.HandleAsync(new ChatMessage(Identity(callback.From), command, SupportsButtons: true), ct).ConfigureAwait(false);
        var toast = CommandText.Shorten(reply.Headline, 200);
        if (callback.Message is not { Date: > 0 } source)
        {
            // Too old to edit or reply to (inaccessible): answer in the presser's private chat.
            return async ct2 =>
            {
                await AnswerCallbackAsync(callback.Id, toast, showAlert: false, ct2).ConfigureAwait(false);
                await SendReplyAsync(callback.From.Id, reply, null, _options.ReplyWaitMax, ct2).ConfigureAwait(false);
            };
        }
        if (refresh) return ct2 => RefreshAsync(callback, source, reply, ct2);
        var routed = Route(source.Chat, callback.From, command, reply, null);
        return async ct2 =>
        {
            await AnswerCallbackAsync(callback.Id, toast, showAlert: false, ct2).ConfigureAwait(false);
            await routed(ct2).ConfigureAwait(false);
        };
    }

    // Refresh: the card is rewritten in place with the time it was refreshed; an unchanged card is fine.
    private async Task RefreshAsync(TelegramCallbackQuery callback, TelegramMessage source, Reply reply, CancellationToken ct)
    {
        await AnswerCallbackAsync(callback.Id, "Refreshed", showAlert: false, ct).ConfigureAwait(false);
        var stamped = reply.Refreshed(time.GetUtcNow());
        var parts = TelegramHtml.Render(stamped);
        if (parts.Count > 1)
        {
            // Grown too long for one message: a fresh answer instead of an edit.
            await SendReplyAsync(source.Chat.Id, stamped, null, _options.ReplyWaitMax, ct).ConfigureAwait(false);
            return;
        }
        var request = new EditMessageTextRequest(source.Chat.Id, source.MessageId, parts[0], "HTML", TelegramHtml.Keyboard(stamped.Buttons), NoPreview);
        await limiter.WaitAsync(source.Chat.Id, _options.ReplyWaitMax, ct).ConfigureAwait(false);
        try
        {
            await api.EditMessageTextAsync(request, ct).ConfigureAwait(false);
        }
        catch (TelegramApiException ex) when (ex.ErrorCode == 400 && (ex.Says("message is not modified") || ex.Says("message to edit not found") || ex.Says("message can't be edited")))
        {
            // Nothing changed, or the message is gone: nothing to do.
        }
    }

    // my_chat_member in a private chat: the user blocked (kicked) or unblocked the bot. Delivery stops or resumes at once.
    private async Task<Func<CancellationToken, Task>?> MembershipAsync(TelegramChatMemberUpdated member, CancellationToken ct)
    {
        if (member.Chat.Type != "private") return null;
        var blocked = member.NewChatMember.Status is "kicked" or "left";
        var externalId = member.Chat.Id.ToString(CultureInfo.InvariantCulture);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Platform == Platform && u.ExternalId == externalId, ct).ConfigureAwait(false);
        if (user is null) return null;
        if (blocked && user.IsActive)
        {
            user.IsActive = false;
            user.InactiveReason = BlockedReason;
            user.InactiveSince = time.GetUtcNow();
            logger.DeliveryDeactivated(Platform, user.Id, BlockedReason);
        }
        else if (!blocked && !user.IsActive && user.InactiveReason == BlockedReason)
        {
            user.IsActive = true;
            user.InactiveReason = null;
            user.InactiveSince = null;
        }
        else
        {
            return null;
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        engine.Invalidate(user.Id);
        return null;
    }

    /// <summary>The reason stored when Telegram reports the bot blocked.</summary>
    public const string BlockedReason = "you blocked the bot on Telegram";

    /// <summary>
    /// Where an answer goes: the chat it came from, unless that is a group not allowed to see accounts and the command
    /// shows one; then the sender's private chat, and a hint in the group.
    /// </summary>
    private Func<CancellationToken, Task> Route(TelegramChat chat, TelegramUser from, string text, Reply reply, TelegramMessage? replyTo)
    {
        var showsAccount = !CommandText.TryParse(text, out var command, out _) || !CommandCatalog.TryFind(command.Name, out var spec) || !spec.SafeInGroups;
        if (!showsAccount || CanSeeAccount(chat, from.Id)) return ct => SendReplyAsync(chat.Id, reply, replyTo, _options.ReplyWaitMax, ct);
        return async ct =>
        {
            Reply hint;
            try
            {
                await SendReplyAsync(from.Id, reply, null, _options.ReplyWaitMax, ct).ConfigureAwait(false);
                hint = Reply.Text(ReplyTone.Info, $"{Mention(from)}: I sent the answer to your private chat with me; account details stay out of groups.");
            }
            catch (TelegramApiException ex) when (ex.ErrorCode == 403)
            {
                hint = Reply.Text(ReplyTone.Warning, $"{Mention(from)}: I can only show account details in a private chat, and you have not started one yet. Open t.me/{_botUsername}, press Start, and send the command there.");
            }
            await SendReplyAsync(chat.Id, hint, replyTo, _options.ReplyWaitMax, ct).ConfigureAwait(false);
        };
    }

    private bool CanSeeAccount(TelegramChat chat, long userId) => chat.Type == "private" && chat.Id == userId || _options.AllowedGroups.Contains(chat.Id);

    private Func<CancellationToken, Task> Answer(TelegramChat chat, TelegramMessage replyTo, Reply reply) =>
        ct => SendReplyAsync(chat.Id, reply, replyTo, _options.ReplyWaitMax, ct);

    // In a group, only commands (and only those for this bot, when a bot is named) are for PerpGuard.
    private bool AddressedToMe(string? text)
    {
        if (text is null || !text.StartsWith('/')) return false;
        var end = text.AsSpan().IndexOfAny(" \n\t");
        var name = end < 0 ? text : text[..end];
        var at = name.IndexOf('@', StringComparison.Ordinal);
        return at < 0 || name[(at + 1)..].Equals(_botUsername, StringComparison.OrdinalIgnoreCase);
    }

    private bool Allowed(long userId) => _options.AllowedUsers.Count == 0 || _options.AllowedUsers.Contains(userId);

    private static Reply NotAllowed(long userId) => Reply.Text(ReplyTone.Error,
        $"This PerpGuard bot is private, and your Telegram id {userId.ToString(CultureInfo.InvariantCulture)} is not on its allow-list. Ask its operator to add it (Telegram:AllowedUsers).");

    private static ChatIdentity Identity(TelegramUser user)
    {
        var name = string.Join(' ', new[] { user.FirstName, user.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return new ChatIdentity(Platform, user.Id.ToString(CultureInfo.InvariantCulture), name.Length > 0 ? name : user.Username);
    }

    private static string Mention(TelegramUser user) => user.Username is { Length: > 0 } u ? "@" + u : user.FirstName ?? "you";

    private static string Ago(TimeSpan age) => age.TotalHours >= 1 ? $"{age.TotalHours:0.#} h" : $"{Math.Max(1, (int)age.TotalMinutes)} min";

    /// <inheritdoc />
    public async Task SendAsync(ChatNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!long.TryParse(notification.ExternalId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId))
            throw new ChatDeliveryException($"'{CommandText.Shorten(notification.ExternalId, 24)}' is not a Telegram chat id", permanent: true);
        try
        {
            await SendReplyAsync(chatId, notification.Message, null, AlertWaitMax, cancellationToken).ConfigureAwait(false);
        }
        catch (TelegramApiException ex)
        {
            throw ex switch
            {
                { ErrorCode: 429 } => new ChatDeliveryException($"Telegram rate limit: {ex.Description}", permanent: false, ex.RetryAfter ?? TimeSpan.FromSeconds(5)),
                { ErrorCode: 403 } => new ChatDeliveryException($"Telegram: {ex.Description} (403)", permanent: true),
                { ErrorCode: 400 } when ex.Says("chat not found") => new ChatDeliveryException($"Telegram: {ex.Description} (400)", permanent: true),
                { ErrorCode: 400 } => ChatDeliveryException.Rejected(ex.Message),
                _ => new ChatDeliveryException(ex.Message, permanent: false),
            };
        }
    }

    /// <summary>
    /// Sends a reply as one or more HTML messages (buttons on the last). A parse error (which escaping should make
    /// impossible) resends the same part as plain text, so the message is never lost to formatting.
    /// </summary>
    private async Task<TelegramMessage?> SendReplyAsync(long chatId, Reply reply, TelegramMessage? replyTo, TimeSpan maxWait, CancellationToken ct)
    {
        var parts = TelegramHtml.Render(reply);
        var keyboard = TelegramHtml.Keyboard(reply.Buttons);
        TelegramMessage? last = null;
        for (var i = 0; i < parts.Count; i++)
        {
            var request = new SendMessageRequest(chatId, parts[i], "HTML", i == parts.Count - 1 ? keyboard : null, null, NoPreview, replyTo?.MessageThreadId);
            if (await limiter.WaitAsync(chatId, maxWait, ct).ConfigureAwait(false) is { } tooLong)
                throw new TelegramApiException("sendMessage", 429, $"rate limited: the next slot for this chat is in {tooLong.TotalSeconds:0} s", tooLong);
            try
            {
                last = await api.SendMessageAsync(request, ct).ConfigureAwait(false);
            }
            catch (TelegramApiException ex) when (ex.ErrorCode == 429)
            {
                limiter.Pause(chatId, ex.RetryAfter ?? TimeSpan.FromSeconds(5));
                throw;
            }
            catch (TelegramApiException ex) when (ex.ErrorCode == 400 && ex.Says("can't parse entities"))
            {
                logger.TelegramRequestFailed(ex.Method, ex.ErrorCode, ex.Description);
                last = await api.SendMessageAsync(request with { Text = TelegramHtml.ToPlain(parts[i]), ParseMode = null }, ct).ConfigureAwait(false);
            }
        }
        return last;
    }

    private async Task AnswerCallbackAsync(string id, string text, bool showAlert, CancellationToken ct)
    {
        try
        {
            await api.AnswerCallbackQueryAsync(new AnswerCallbackQueryRequest(id, text, showAlert), ct).ConfigureAwait(false);
        }
        catch (TelegramApiException ex) when (ex.ErrorCode == 400)
        {
            // "query is too old": the spinner has already gone; the answer message still follows.
            logger.TelegramRequestFailed(ex.Method, ex.ErrorCode, ex.Description);
        }
    }

    private async Task<HashSet<long>> ProcessedAsync(long[] ids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        return [.. await db.ProcessedUpdates.Where(p => p.Platform == Platform && ids.Contains(p.UpdateId)).Select(p => p.UpdateId).ToListAsync(ct).ConfigureAwait(false)];
    }

    /// <summary>Whether an update id was handled already (webhook deliveries are checked one by one).</summary>
    internal async Task<bool> IsProcessedAsync(long id, CancellationToken ct) => (await ProcessedAsync([id], ct).ConfigureAwait(false)).Count > 0;

    private async Task MarkProcessedAsync(long id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        db.ProcessedUpdates.Add(new ProcessedUpdate { Platform = Platform, UpdateId = id, HandledAt = time.GetUtcNow() });
        try
        {
            // Not cancellable: the command has run, so its record must land.
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Recorded already (a webhook retry racing the first delivery): fine.
        }
        ct.ThrowIfCancellationRequested();
        // A long-running bot prunes the log hourly, not only at start.
        if (time.GetUtcNow() - _prunedAt > TimeSpan.FromHours(1)) await PruneProcessedAsync(ct).ConfigureAwait(false);
    }

    private async Task PruneProcessedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        _prunedAt = time.GetUtcNow();
        var cutoff = _prunedAt - ProcessedUpdate.Keep;
        await db.ProcessedUpdates.Where(p => p.Platform == Platform && p.HandledAt < cutoff).ExecuteDeleteAsync(ct).ConfigureAwait(false);
    }
}
