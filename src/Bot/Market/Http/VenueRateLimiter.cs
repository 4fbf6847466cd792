using System.Globalization;
using System.Net.Http.Headers;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market.Http;

/// <summary>
/// A venue's request budget: weight per fixed window (Binance 2400 per minute, Bybit 600 requests per 5 s,
/// Hyperliquid 1200 per minute, OKX about 20 per 2 s per endpoint). Requests wait for the next window when the budget
/// is spent; the venue's own count (a weight header) wins over ours when it is higher. After a 429/418/403 the venue
/// is blocked until its Retry-After (or a default back-off) has passed, and requests fail at once instead of piling on.
/// </summary>
public sealed class VenueRateLimiter(Venue venue, VenueLimits limits, TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _used;
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    /// <summary>The limits in force.</summary>
    public VenueLimits Limits => limits;

    /// <summary>When the venue's block ends (in the past when not blocked).</summary>
    public DateTimeOffset BlockedUntil { get { lock (_gate) return _blockedUntil; } }

    /// <summary>Weight used in the current window, as far as we know.</summary>
    public int Used { get { lock (_gate) return _used; } }

    /// <summary>Waits until <paramref name="weight"/> fits in the budget. Throws at once while the venue is blocked.</summary>
    public async Task AcquireAsync(int weight, CancellationToken cancellationToken)
    {
        weight = Math.Clamp(weight, 0, limits.Budget);
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                if (now < _blockedUntil)
                    throw new MarketDataException(venue, MarketFault.RateLimited,
                        $"{venue.Name()} asked us to back off; requests resume at {_blockedUntil:HH:mm:ss} UTC", _blockedUntil - now);
                Roll(now);
                if (_used + weight <= limits.Budget)
                {
                    _used += weight;
                    return;
                }
                wait = _windowStart + limits.Window - now;
            }
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the venue's own count of used weight (e.g. <c>X-MBX-USED-WEIGHT-1M</c>) and adopts it when higher.</summary>
    public void Observe(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (limits.UsedWeightHeader is null || !headers.TryGetValues(limits.UsedWeightHeader, out var values)) return;
        if (!int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var used)) return;
        lock (_gate)
        {
            Roll(time.GetUtcNow());
            // Their count is over the whole IP's minute; keep the higher of theirs and ours, scaled to our budget.
            var scaled = (int)Math.Ceiling(used * (double)limits.Budget / limits.VenueLimit);
            if (scaled > _used) _used = Math.Min(scaled, limits.Budget);
        }
    }

    /// <summary>Blocks the venue for <paramref name="duration"/> (the venue's Retry-After, or <see cref="VenueLimits.DefaultBackoff"/>).</summary>
    public DateTimeOffset Block(TimeSpan? duration)
    {
        lock (_gate)
        {
            var until = time.GetUtcNow() + (duration is { } d && d > TimeSpan.Zero ? d : limits.DefaultBackoff);
            if (until > _blockedUntil) _blockedUntil = until;
            return _blockedUntil;
        }
    }

    private void Roll(DateTimeOffset now)
    {
        if (now < _windowStart + limits.Window) return;
        // Windows align to the clock (Binance counts per calendar minute).
        var ticks = limits.Window.Ticks;
        _windowStart = new DateTimeOffset(now.UtcTicks / ticks * ticks, TimeSpan.Zero);
        _used = 0;
    }
}

/// <summary>One venue's published limits and how it signals them.</summary>
/// <param name="Window">The counting window.</param>
/// <param name="VenueLimit">The venue's limit per window.</param>
/// <param name="Budget">What we allow ourselves per window (a safety margin below <paramref name="VenueLimit"/>).</param>
/// <param name="UsedWeightHeader">Response header carrying the venue's count, if any.</param>
/// <param name="BlockStatuses">HTTP statuses that mean "stop and wait" for this venue.</param>
/// <param name="DefaultBackoff">How long to wait when the venue does not send Retry-After.</param>
public sealed record VenueLimits(TimeSpan Window, int VenueLimit, int Budget, string? UsedWeightHeader, IReadOnlySet<int> BlockStatuses, TimeSpan DefaultBackoff)
{
    /// <summary>The published limits of each venue (../docs/market-apis.md).</summary>
    public static VenueLimits For(Venue venue) => venue switch
    {
        // 2400 weight/min, X-MBX-USED-WEIGHT-1M; 429 then 418 (ban from 2 minutes up).
        Venue.Binance => new(TimeSpan.FromMinutes(1), 2400, 1800, "X-MBX-USED-WEIGHT-1M", new HashSet<int> { 429, 418 }, TimeSpan.FromMinutes(2)),
        // 600 requests per 5 s per IP; over it, 403 "access too frequent" and at least 10 minutes of waiting.
        Venue.Bybit => new(TimeSpan.FromSeconds(5), 600, 400, null, new HashSet<int> { 403, 429 }, TimeSpan.FromMinutes(10)),
        // 1200 weight/min per IP; 429 over it.
        Venue.Hyperliquid => new(TimeSpan.FromMinutes(1), 1200, 900, null, new HashSet<int> { 429 }, TimeSpan.FromMinutes(1)),
        // Per-endpoint limits (10–40 per 2 s, some per instrument); one shared budget of 30 per 2 s is below the sum and
        // above any single endpoint's, so the clients use bulk calls (instType=SWAP) where OKX has them.
        Venue.Okx => new(TimeSpan.FromSeconds(2), 40, 30, null, new HashSet<int> { 429 }, TimeSpan.FromSeconds(10)),
        _ => throw new ArgumentOutOfRangeException(nameof(venue), venue, "Unknown venue."),
    };
}
