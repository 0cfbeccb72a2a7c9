namespace ModelRunner.Engine.Tests;
