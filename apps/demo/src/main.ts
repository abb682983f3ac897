import { createDatabaseService } from '@gofannon/db-core';
import { tour } from './tour';

const db = await createDatabaseService();
try {
  await tour(db, (line) => console.log(line));
} finally {
  await db.close();
}
