// Engine tests run real workflows over HTTP; a slow CI core needs more than jest's 5 s.
jest.setTimeout(60_000);
