// End-to-end tests boot a real n8n; its first start on a 2-core CI machine takes a while.
jest.setTimeout(300_000);
