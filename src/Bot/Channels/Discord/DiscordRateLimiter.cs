using System.Globalization;
using System.Net.Http.Headers;

namespace PerpGuard.Bot.Channels.Discord;

/// <summary>
/// Discord's REST limits as its headers describe them, never hard-coded: each route (method and template) learns its
/// bucket from <c>X-RateLimit-Bucket</c>, and each bucket plus top-level resource (<c>/channels/1/…</c> and
/// <c>/channels/2/…</c> are separate) tracks <c>Remaining</c> and when it resets. A global 429 pauses every request;
/// on top, at most 50 requests a second leave the process (interaction callbacks are exempt, as on Discord).
/// </summary>
internal sealed class DiscordRateLimiter(TimeProvider time)
{
    /// <summary>Discord's global limit per bot.</summary>
    public const int GlobalPerSecond = 50;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _bucketOfRoute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Remaining, DateTimeOffset Reset)> _buckets = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _recent = new();
    private DateTimeOffset _globalUntil = DateTimeOffset.MinValue;

    /// <summary>
    /// How long a request on <paramref name="route"/> for <paramref name="major"/> must wait; when it need not wait
    /// (zero), the slot is taken.
    /// </summary>
    public TimeSpan Acquire(string route, string major, bool exemptFromGlobal)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var wait = TimeSpan.Zero;
            var key = Key(route, major);
            if (_buckets.TryGetValue(key, out var bucket) && bucket.Remaining <= 0 && bucket.Reset > now) wait = bucket.Reset - now;
            if (!exemptFromGlobal)
            {
                if (_globalUntil > now + wait) wait = _globalUntil - now;
                while (_recent.Count > 0 && _recent.Peek() <= now - TimeSpan.FromSeconds(1)) _recent.Dequeue();
                if (_recent.Count >= GlobalPerSecond && _recent.Peek() + TimeSpan.FromSeconds(1) - now > wait) wait = _recent.Peek() + TimeSpan.FromSeconds(1) - now;
            }
            if (wait > TimeSpan.Zero) return wait;
            if (_buckets.TryGetValue(key, out bucket) && bucket.Reset > now) _buckets[key] = (bucket.Remaining - 1, bucket.Reset);
            if (!exemptFromGlobal) _recent.Enqueue(now);
            return TimeSpan.Zero;
        }
    }

    /// <summary>Learns the route's bucket and its state from a response's headers.</summary>
    public void Update(string route, string major, HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (Header(headers, "X-RateLimit-Bucket") is { Length: > 0 } bucket) _bucketOfRoute[route] = bucket;
            if (int.TryParse(Header(headers, "X-RateLimit-Remaining"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining)
                && double.TryParse(Header(headers, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var resetAfter))
                _buckets[Key(route, major)] = (remaining, now + TimeSpan.FromSeconds(resetAfter));
        }
    }

    /// <summary>A 429: the bucket (or, when <paramref name="global"/>, everything) waits <paramref name="retryAfter"/>.</summary>
    public void TooManyRequests(string route, string major, TimeSpan retryAfter, bool global)
    {
        var until = time.GetUtcNow() + retryAfter;
        lock (_gate)
        {
            if (global) _globalUntil = until > _globalUntil ? until : _globalUntil;
            else _buckets[Key(route, major)] = (0, until);
        }
    }

    private string Key(string route, string major) => (_bucketOfRoute.TryGetValue(route, out var bucket) ? bucket : route) + "|" + major;

    private static string? Header(HttpResponseHeaders headers, string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
