using System.Diagnostics.CodeAnalysis;

// "Partial" is a VB keyword; the name is what the feature is called, and PerpGuard is consumed from C# only.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace",
    Target = "~N:PerpGuard.Core.Partial", Justification = "The feature is partial liquidation; consumers are C#.")]
