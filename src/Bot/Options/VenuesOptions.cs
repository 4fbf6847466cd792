using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Options;

/// <summary>
/// Where each venue's public API lives (<c>Venues:&lt;Venue&gt;:BaseUrl</c>, environment
/// <c>Venues__Hyperliquid__BaseUrl</c>): scheme and host only; the clients append the documented paths. Point them at a
/// testnet, a proxy or a test server.
/// </summary>
public sealed class VenuesOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Venues";

    /// <summary>Binance USDⓈ-M futures (<c>https://fapi.binance.com</c>) and its spot API (<c>https://api.binance.com</c>).</summary>
    [ValidateObjectMembers] public VenueEndpoint Binance { get; set; } = new() { BaseUrl = "https://fapi.binance.com", SpotBaseUrl = "https://api.binance.com" };
    /// <summary>Bybit v5 (<c>https://api.bybit.com</c>).</summary>
    [ValidateObjectMembers] public VenueEndpoint Bybit { get; set; } = new() { BaseUrl = "https://api.bybit.com" };
    /// <summary>Hyperliquid info API (<c>https://api.hyperliquid.xyz</c>).</summary>
    [ValidateObjectMembers] public VenueEndpoint Hyperliquid { get; set; } = new() { BaseUrl = "https://api.hyperliquid.xyz" };
    /// <summary>OKX v5 (<c>https://www.okx.com</c>).</summary>
    [ValidateObjectMembers] public VenueEndpoint Okx { get; set; } = new() { BaseUrl = "https://www.okx.com" };

    /// <summary>The endpoint of one venue.</summary>
    public VenueEndpoint For(Venue venue) => venue switch
    {
        Venue.Binance => Binance,
        Venue.Bybit => Bybit,
        Venue.Hyperliquid => Hyperliquid,
        Venue.Okx => Okx,
        _ => throw new ArgumentOutOfRangeException(nameof(venue), venue, "Unknown venue."),
    };
}

/// <summary>One venue's API endpoint and request limits.</summary>
public sealed class VenueEndpoint
{
    /// <summary>Scheme and host, e.g. <c>https://api.hyperliquid.xyz</c>.</summary>
    [Required, BaseUrl] public string BaseUrl { get; set; } = "";
    /// <summary>A separate spot host where the venue has one (Binance). Defaults to <see cref="BaseUrl"/>.</summary>
    [BaseUrl] public string? SpotBaseUrl { get; set; }
    /// <summary>Poll this venue at all.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Longest wait for one response.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")] public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// Request weight we allow ourselves per window, instead of the default safety margin under the venue's published
    /// limit (an IP with a raised limit, a proxy that pools, a benchmark against a local server).
    /// </summary>
    [Range(1, 1_000_000)] public int? WeightBudget { get; set; }
}

/// <summary>An absolute http(s) URL of scheme and host (and port) only: no path, query or fragment.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class BaseUrlAttribute : ValidationAttribute
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is null) return ValidationResult.Success;
        var ok = value is string s && Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0;
        return ok ? ValidationResult.Success
            : new ValidationResult($"{validationContext.DisplayName} must be scheme and host only, like https://api.hyperliquid.xyz (got '{value}')", [validationContext.MemberName!]);
    }
}

/// <summary>Compile-time generated validator for <see cref="VenuesOptions"/>.</summary>
[OptionsValidator]
public sealed partial class VenuesOptionsValidator : IValidateOptions<VenuesOptions>;
