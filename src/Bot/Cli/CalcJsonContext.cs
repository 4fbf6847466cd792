using System.Text.Json.Serialization;
using PerpGuard.Core.Calculator;

namespace PerpGuard.Bot.Cli;

/// <summary>
/// Source-generated JSON metadata for <c>calc --jsonl</c> requests: snake_case names, numbers also accepted as
/// strings (<c>"60000"</c>), and unknown fields rejected so a typo such as <c>"levrage"</c> is reported, not ignored.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(CalcRequest))]
internal sealed partial class CalcJsonContext : JsonSerializerContext;
