namespace ModelRunner.Engine;
