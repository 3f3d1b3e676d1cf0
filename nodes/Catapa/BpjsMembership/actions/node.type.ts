import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeProperties,
} from 'n8n-workflow';

export type BpjsResource = 'healthcareMembership' | 'manpowerMembership';
export type BpjsOperation = 'get' | 'update';

/** One item's CATAPA call, checked and built before anything is sent. */
export interface PreparedCall {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	/** Soft-check findings, copied onto the output item (never a refusal). */
	warnings: string[];
}

export interface BpjsOperationModule {
	description: INodeProperties[];
	/** Reads and checks the item's parameters; throws CatapaInputError on bad input. */
	prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall;
}
