using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Options;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market.Http;

/// <summary>
/// Hands each venue client a <see cref="VenueHttp"/> on its configured base URL, with one rate limiter per venue host
/// shared by every request (Binance spot is a second host with its own budget).
/// </summary>
public sealed class VenueHttpFactory(IHttpClientFactory clients, IOptions<VenuesOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(Venue, bool), VenueRateLimiter> _limiters = new();

    /// <summary>The send path for a venue's perpetual API, or its spot host when <paramref name="spot"/> is set.</summary>
    public VenueHttp Create(Venue venue, bool spot = false)
    {
        var endpoint = options.Value.For(venue);
        var http = clients.CreateClient(HttpClientName(venue));
        http.BaseAddress = new Uri(spot ? endpoint.SpotBaseUrl ?? endpoint.BaseUrl : endpoint.BaseUrl);
        // VenueHttp bounds each request with the venue's timeout and tells a timeout from a cancellation.
        http.Timeout = Timeout.InfiniteTimeSpan;
        return new VenueHttp(http, venue, Limiter(venue, spot), endpoint.Timeout, time);
    }

    /// <summary>The rate limiter of a venue's main host, or of its spot host (for status and tests).</summary>
    public VenueRateLimiter Limiter(Venue venue, bool spot = false) => _limiters.GetOrAdd((venue, spot), key =>
    {
        var limits = VenueLimits.For(key.Item1);
        if (options.Value.For(key.Item1).WeightBudget is { } budget) limits = limits with { Budget = budget, VenueLimit = Math.Max(budget, limits.VenueLimit) };
        return new VenueRateLimiter(key.Item1, limits, time);
    });

    /// <summary>The named <see cref="HttpClient"/> of a venue.</summary>
    public static string HttpClientName(Venue venue) => "venue-" + venue.Name();
}
