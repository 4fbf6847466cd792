namespace PerpGuard.Bot.Channels.Telegram;

/// <summary>
/// Telegram's send limits as reserved time slots: a private chat gets a message every
/// <see cref="TelegramOptions.PerChatInterval"/>, a group every <see cref="TelegramOptions.PerGroupInterval"/>, and all
/// chats together <see cref="TelegramOptions.GlobalPerSecond"/>. A 429 pushes that chat's next slot (or every chat's,
/// when no chat was involved) past the <c>retry_after</c>. Callers reserve a slot and wait for it; nothing is queued
/// here, so a caller that cannot wait that long (an alert behind a long pause) gives its slot back and is told when.
/// </summary>
internal sealed class TelegramRateLimiter(TelegramOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, DateTimeOffset> _chatNext = [];
    private DateTimeOffset _globalNext = DateTimeOffset.MinValue;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private readonly TimeSpan _globalSpacing = TimeSpan.FromSeconds(1.0 / options.GlobalPerSecond);

    /// <summary>
    /// Reserves the next slot for <paramref name="chatId"/> and waits for it, unless it is more than
    /// <paramref name="maxWait"/> away: then nothing is reserved and the wait it would have taken is returned.
    /// </summary>
    public async Task<TimeSpan?> WaitAsync(long chatId, TimeSpan maxWait, CancellationToken ct)
    {
        DateTimeOffset slot;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            slot = Max(now, _pausedUntil, _globalNext, _chatNext.GetValueOrDefault(chatId, DateTimeOffset.MinValue));
            if (slot - now > maxWait) return slot - now;
            _globalNext = slot + _globalSpacing;
            _chatNext[chatId] = slot + (chatId < 0 ? options.PerGroupInterval : options.PerChatInterval);
            if (_chatNext.Count > 10_000) Prune(now);
        }
        if (slot > now) await Task.Delay(slot - now, time, ct).ConfigureAwait(false);
        return null;
    }

    /// <summary>Telegram said 429: nothing more to <paramref name="chatId"/> (every chat when null) for <paramref name="retryAfter"/>.</summary>
    public void Pause(long? chatId, TimeSpan retryAfter)
    {
        var until = time.GetUtcNow() + retryAfter;
        lock (_gate)
        {
            if (chatId is { } id) _chatNext[id] = Max(_chatNext.GetValueOrDefault(id, DateTimeOffset.MinValue), until);
            else _pausedUntil = Max(_pausedUntil, until);
        }
    }

    // Chats whose next slot has passed need no entry; keeps the table small on a large bot.
    private void Prune(DateTimeOffset now)
    {
        foreach (var (id, next) in _chatNext.ToList())
            if (next <= now) _chatNext.Remove(id);
    }

    private static DateTimeOffset Max(params ReadOnlySpan<DateTimeOffset> values)
    {
        var max = DateTimeOffset.MinValue;
        foreach (var v in values) if (v > max) max = v;
        return max;
    }
}
