using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Market;

/// <summary>Builds the real HTTP plumbing of the venue clients, pointed at a <see cref="LoopbackServer"/>.</summary>
internal static class VenueClients
{
    /// <summary>Every venue's base URL (and Binance's spot URL) set to the server, with a short timeout for stall tests.</summary>
    public static VenueHttpFactory Http(LoopbackServer server, TimeSpan? timeout = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient();
        var provider = services.BuildServiceProvider();
        var options = new VenuesOptions();
        foreach (var endpoint in new[] { options.Binance, options.Bybit, options.Hyperliquid, options.Okx })
        {
            endpoint.BaseUrl = server.BaseUrl;
            endpoint.SpotBaseUrl = server.BaseUrl;
            endpoint.Timeout = timeout ?? TimeSpan.FromSeconds(5);
        }
        return new VenueHttpFactory(provider.GetRequiredService<IHttpClientFactory>(), Microsoft.Extensions.Options.Options.Create(options), time ?? TimeProvider.System);
    }
}
