using System.Text.Json.Serialization;
using PerpGuard.Bot.Chat;

namespace PerpGuard.Bot.Alerts;

/// <summary>Source-generated JSON for the messages stored in the outbox.</summary>
[JsonSerializable(typeof(Reply))]
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
public sealed partial class AlertJsonContext : JsonSerializerContext;
