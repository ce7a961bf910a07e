import { composeWorkerNodeOptions, serviceNodeOptions } from './support/service-node-options';

describe("the service's Node options", () => {
  it('are the same for npm start and docker-compose’s worker, and cap the heap', () => {
    const options = serviceNodeOptions();
    expect(composeWorkerNodeOptions()).toEqual(options);
    expect(options).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/)]));
  });
});
