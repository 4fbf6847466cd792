namespace PerpGuard.Bot.Channels.Telegram;

/// <summary>
/// Telegram's send limits as reserved time slots: a private chat gets a message every
/// <see cref="TelegramOptions.PerChatInterval"/>, a group every <see cref="TelegramOptions.PerGroupInterval"/>, and all
/// chats together <see cref="TelegramOptions.GlobalPerSecond"/>: time is cut into 1/N-second global slots, each used
/// once, so a chat waiting for its own next second never holds up the others. A 429 pushes that chat's next slot (or
/// every chat's, when no chat was involved) past the <c>retry_after</c>. Callers reserve a slot and wait for it; nothing
/// is queued here, so a caller that cannot wait that long (an alert behind a long pause) takes nothing and is told when.
/// </summary>
internal sealed class TelegramRateLimiter(TelegramOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, DateTimeOffset> _chatNext = [];
    private readonly HashSet<long> _taken = [];
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private readonly TimeSpan _globalSpacing = TimeSpan.FromSeconds(1.0 / options.GlobalPerSecond);

    /// <summary>
    /// Reserves the next slot for <paramref name="chatId"/> and waits for it, unless it is more than
    /// <paramref name="maxWait"/> away: then nothing is reserved and the wait it would have taken is returned.
    /// </summary>
    public async Task<TimeSpan?> WaitAsync(long chatId, TimeSpan maxWait, CancellationToken ct)
    {
        var (reserved, wait) = Reserve(chatId, maxWait);
        if (!reserved) return wait;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Takes the next slot for <paramref name="chatId"/> when it is at most <paramref name="maxWait"/> away; returns
    /// whether it did and how far away the slot is.
    /// </summary>
    public (bool Reserved, TimeSpan Wait) Reserve(long chatId, TimeSpan maxWait)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var ready = Max(now, _pausedUntil, _chatNext.GetValueOrDefault(chatId, DateTimeOffset.MinValue));
            // The first free global slot at or after the moment this chat may send.
            var index = (ready.UtcTicks + _globalSpacing.Ticks - 1) / _globalSpacing.Ticks;
            while (_taken.Contains(index)) index++;
            var slot = new DateTimeOffset(index * _globalSpacing.Ticks, TimeSpan.Zero);
            if (slot - now > maxWait) return (false, slot - now);
            _taken.Add(index);
            _chatNext[chatId] = slot + (chatId < 0 ? options.PerGroupInterval : options.PerChatInterval);
            if (_chatNext.Count > 10_000 || _taken.Count > 10_000) Prune(now);
            return (true, slot - now);
        }
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

    // Chats whose next slot has passed, and slots in the past, need no entry; keeps the tables small on a large bot.
    private void Prune(DateTimeOffset now)
    {
        foreach (var (id, next) in _chatNext.ToList())
            if (next <= now) _chatNext.Remove(id);
        _taken.RemoveWhere(i => i < now.UtcTicks / _globalSpacing.Ticks);
    }

    private static DateTimeOffset Max(params ReadOnlySpan<DateTimeOffset> values)
    {
        var max = DateTimeOffset.MinValue;
        foreach (var v in values) if (v > max) max = v;
        return max;
    }
}
