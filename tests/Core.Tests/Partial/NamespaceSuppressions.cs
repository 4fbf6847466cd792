using System.Diagnostics.CodeAnalysis;

// Mirrors src/Core/Partial: the folder is named after the feature (partial liquidation), consumers are C#.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace",
    Target = "~N:PerpGuard.Core.Tests.Partial", Justification = "Named after the feature; C# only.")]
