using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Alerts;

namespace PerpGuard.Bot.Alerts;

/// <summary>
/// Sends the outbox. Each pending alert goes to its user's channel and is marked sent right after the channel accepts
/// it, so a crash can repeat at most the one message in flight. Channel errors retry with doubling backoff (or the
/// platform's retry-after); a permanent error (the user blocked the bot) stops that user's delivery, visible in
/// /status, and their alerts wait; anything undelivered after <see cref="AlertOptions.GiveUpAfter"/> is marked failed,
/// never silently dropped. Held alerts (quiet hours, daily cap) go out as one digest per user when released.
/// </summary>
public sealed class AlertDispatcher(IServiceScopeFactory scopes, IEnumerable<IChatChannel> channels, AlertEngine engine, IOptions<AlertOptions> options,
    TimeProvider time, ILogger<AlertDispatcher> logger) : IDisposable
{
    /// <summary>Most lines in a digest; the rest are counted and left to /alerts.</summary>
    public const int DigestLines = 15;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, IChatChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Releases due digests and sends what is due. Returns the number of messages the channels accepted.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
            await ReleaseHeldAsync(db, now, cancellationToken).ConfigureAwait(false);
            return await SendDueAsync(db, now, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> SendDueAsync(PerpGuardDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var due = await db.Alerts.Where(a => a.Status == AlertStatus.Pending && a.NextAttemptAt <= now).OrderBy(a => a.Id).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (due.Count == 0) return 0;
        var owners = due.Select(a => a.OwnerId).Distinct().ToList();
        var users = await db.Users.Where(u => owners.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken).ConfigureAwait(false);
        var failing = new HashSet<string>(StringComparer.Ordinal);
        var sent = 0;
        foreach (var row in due)
        {
            var user = users[row.OwnerId];
            if (!user.IsActive || !_channels.TryGetValue(user.Platform, out var channel) || failing.Contains(user.Platform))
            {
                // Waits for the user to come back (/start) or the channel to run; never kept forever.
                if (now - row.CreatedAt >= o.GiveUpAfter)
                {
                    GiveUp(row, !user.IsActive ? $"delivery stopped: {user.InactiveReason}" : $"no {user.Platform} channel running");
                    await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                }
                continue;
            }
            row.Attempts++;
            if (Read(row) is not { } message)
            {
                // Unreadable (corrupted, or written by an incompatible version): fail this one, never block the queue.
                GiveUp(row, "the stored message could not be read");
                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            try
            {
                await channel.SendAsync(new ChatNotification(user.ExternalId, message, row.IdempotencyKey), cancellationToken).ConfigureAwait(false);
                row.Status = AlertStatus.Sent;
                row.SentAt = time.GetUtcNow();
                row.LastError = null;
                sent++;
            }
            catch (ChatDeliveryException ex) when (ex.MessageRejected)
            {
                GiveUp(row, ex.Message);
            }
            catch (ChatDeliveryException ex) when (ex.Permanent)
            {
                user.IsActive = false;
                user.InactiveReason = CommandText.Shorten(ex.Message, 128);
                user.InactiveSince = now;
                row.LastError = CommandText.Shorten(ex.Message, MaxText);
                logger.DeliveryDeactivated(user.Platform, user.Id, ex.Message);
                engine.Invalidate(user.Id);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var error = ex is ChatDeliveryException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                if (now - row.CreatedAt >= o.GiveUpAfter)
                {
                    GiveUp(row, error);
                }
                else
                {
                    row.LastError = CommandText.Shorten(error, MaxText);
                    row.NextAttemptAt = now + (ex is ChatDeliveryException { RetryAfter: { } after } ? after : Backoff(row.Attempts, o));
                    logger.AlertSendFailed(row.Id, user.Platform, user.Id, row.Attempts, row.NextAttemptAt, row.LastError);
                }
                // The platform is struggling: the rest of its messages wait for the next pass instead of piling on.
                failing.Add(user.Platform);
            }
            // Marked at once: a crash after this line cannot send it again; before it, only this one message repeats.
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return sent;
    }

    // Never delivered: Failed with the reason, visible in /alerts and /status.
    private void GiveUp(AlertRecord row, string error)
    {
        row.Status = AlertStatus.Failed;
        row.LastError = CommandText.Shorten(error, MaxText);
        logger.AlertGivenUp(row.Id, row.OwnerId, row.Attempts, row.LastError);
    }

    private static Reply? Read(AlertRecord row)
    {
        try
        {
            return JsonSerializer.Deserialize(row.Message, AlertJsonContext.Default.Reply);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The wait before retry <paramref name="attempt"/>: the first wait doubled per attempt, capped.</summary>
    public static TimeSpan Backoff(int attempt, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var wait = options.RetryFirst * factor;
        return wait > options.RetryMax ? options.RetryMax : wait;
    }

    // Held alerts whose release time has come become one digest per user, in one transaction.
    private static async Task ReleaseHeldAsync(PerpGuardDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = await db.Alerts.Where(a => a.Status == AlertStatus.Held && a.ReleaseAt <= now).OrderBy(a => a.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (held.Count == 0) return;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var group in held.GroupBy(a => a.OwnerId))
        {
            var user = await db.Users.FirstAsync(u => u.Id == group.Key, cancellationToken).ConfigureAwait(false);
            var rows = group.ToList();
            var digest = new AlertRecord
            {
                OwnerId = user.Id,
                Key = "digest",
                Kind = null,
                Severity = rows.Max(r => r.Severity),
                Step = AlertStep.Fire,
                CreatedAt = now,
                Summary = "",
                Message = "",
                Status = AlertStatus.Pending,
                NextAttemptAt = now,
                IdempotencyKey = Guid.NewGuid().ToString("N"),
            };
            db.Alerts.Add(digest);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            var (message, summary) = Digest(digest.Id, rows, user, now);
            digest.Message = JsonSerializer.Serialize(message, AlertJsonContext.Default.Reply);
            digest.Summary = summary;
            foreach (var row in rows)
            {
                row.Status = AlertStatus.Digested;
                row.DigestId = digest.Id;
            }
        }
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One message for the held alerts of a user: why they were held, then one line each (newest last).</summary>
    public static (Reply Message, string Summary) Digest(long digestId, IReadOnlyList<AlertRecord> rows, ChatUser user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(user);
        var quiet = rows.Count(r => r.Reason?.StartsWith(DeliveryGate.QuietReason, StringComparison.Ordinal) == true);
        var capped = rows.Count - quiet;
        var why = (quiet, capped) switch
        {
            (> 0, 0) => "held during your quiet hours",
            (0, _) => $"over your daily cap of {user.Alerts.DailyCap} (/settings daily_cap)",
            _ => "held during quiet hours and over your daily cap",
        };
        var headline = $"{AlertText.Badge(rows.Max(r => r.Severity))} · Digest: {rows.Count} alert{(rows.Count == 1 ? "" : "s")} {why}";
        var lines = rows.TakeLast(DigestLines)
            .Select(r => new ReplyLine($"{r.Id} · {UserTime.Format(r.CreatedAt, user.TimeZone, now)}", r.Summary)).ToList();
        if (rows.Count > DigestLines) lines.Insert(0, new ReplyLine(null, $"{rows.Count - DigestLines} earlier ones are in /alerts."));
        lines.Add(new ReplyLine("Digest", $"{digestId} · /alerts shows the history"));
        var reply = new Reply
        {
            Tone = ReplyTone.Info,
            Headline = headline,
            Sections = [new ReplySection(null, lines)],
            Buttons = [new ReplyButton("Alert history", "/alerts"), new ReplyButton("Settings", "/settings")],
        };
        return (reply, CommandText.Shorten(headline, AlertRecord.MaxSummaryLength));
    }

    // LastError and Reason are stored with this maximum length.
    private const int MaxText = 256;

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
